using System.Xml.Linq;

namespace Aviary.Architecture.Tests;

/// <summary>The repository's own files, found from the test's output directory upward.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every project under <c>src/</c>: its name and the names of the projects it references.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> SourceGraph()
    {
        var graph = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var project in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            graph[Path.GetFileNameWithoutExtension(project)] = References(project);
        }

        return graph;
    }

    public static IReadOnlySet<string> References(string projectPath) =>
        XDocument.Load(projectPath).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? string.Empty).Replace('\\', '/')))
            .ToHashSet(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aviary.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Aviary.slnx above {AppContext.BaseDirectory}");
    }
}
