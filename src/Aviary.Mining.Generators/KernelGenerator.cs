using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Aviary.Mining.Generators;

/// <summary>
/// Writes each SIMD tier's unrolled kernel from the one template: for every partial struct marked
/// <c>[SimdKernel("Avx512" | "Avx2Vl" | "Avx2")]</c>, the template (an AdditionalFiles item named
/// Sha256Kernel.template) expanded with that instruction set. A missing template or an unknown
/// instruction set is a compile error naming it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KernelGenerator : IIncrementalGenerator
{
    private const string AttributeName = "Aviary.Mining.SimdKernelAttribute";
    private const string TemplateName = "Sha256Kernel.template";

    private static readonly DiagnosticDescriptor MissingTemplate = new(
        "AVK001", "Kernel template missing", "No AdditionalFiles item named " + TemplateName + " for the [SimdKernel] struct {0}",
        "Aviary.Kernels", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor UnknownIsa = new(
        "AVK002", "Unknown instruction set", "[SimdKernel(\"{0}\")] on {1}: the generator knows {2}",
        "Aviary.Kernels", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var kernels = context.SyntaxProvider.ForAttributeWithMetadataName(
            AttributeName,
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.StructDeclarationSyntax,
            static (ctx, _) => new KernelRequest(
                ctx.TargetSymbol.Name,
                ctx.Attributes[0].ConstructorArguments.Length == 1 ? ctx.Attributes[0].ConstructorArguments[0].Value as string ?? "" : "",
                ctx.TargetNode.GetLocation()));

        var template = context.AdditionalTextsProvider
            .Where(static f => Path.GetFileName(f.Path) == TemplateName)
            .Select(static (f, ct) => f.GetText(ct)?.ToString())
            .Collect();

        context.RegisterSourceOutput(kernels.Combine(template), static (spc, pair) =>
        {
            var (kernel, templates) = pair;
            var text = templates.FirstOrDefault(t => t is not null);
            if (text is null)
            {
                spc.ReportDiagnostic(Diagnostic.Create(MissingTemplate, kernel.Location, kernel.Name));
                return;
            }

            if (!KernelIsa.Known.TryGetValue(kernel.Isa, out var isa))
            {
                spc.ReportDiagnostic(Diagnostic.Create(UnknownIsa, kernel.Location, kernel.Isa, kernel.Name, string.Join(", ", KernelIsa.Known.Keys)));
                return;
            }

            spc.AddSource(kernel.Name + ".Kernel.g.cs", SourceText.From(KernelTemplate.Expand(text, kernel.Name, isa), System.Text.Encoding.UTF8));
        });
    }

    /// <summary>One marked struct (locations compare by value, so the pipeline caches cleanly).</summary>
    private sealed record KernelRequest(string Name, string Isa, Location Location);
}
