namespace Aviary.Architecture.Tests;

/// <summary>
/// The assembly reference graph is the architecture (docs/architecture.md): the pure core sees only
/// the codec and the chain; hosts, tools and the CLI sit around it. A new arrow is a design decision:
/// change <see cref="Allowed"/> and the map together, or not at all.
/// </summary>
public sealed class ReferenceGraphTests
{
    /// <summary>Every project under src/ and exactly the projects it references.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Aviary.Protocol"] = [],
        ["Aviary.Chain"] = ["Aviary.Protocol"],
        ["Aviary.Mining"] = ["Aviary.Chain", "Aviary.Mining.Generators"],
        ["Aviary.Mining.Generators"] = [],
        ["Aviary.Mining.Gpu"] = ["Aviary.Chain", "Aviary.Mining"],
        ["Aviary.Node"] = ["Aviary.Protocol", "Aviary.Chain"],
        ["Aviary.Node.Udp"] = ["Aviary.Node"],
        ["Aviary.Simulation"] = ["Aviary.Node"],
        ["Aviary.Web"] = ["Aviary.Node"],
        ["Aviary.Client"] = ["Aviary.Protocol", "Aviary.Node"],
        ["Aviary.Probe"] = ["Aviary.Protocol", "Aviary.Chain", "Aviary.Mining"],
        ["Aviary.Census"] = ["Aviary.Protocol", "Aviary.Chain", "Aviary.Node", "Aviary.Client", "Aviary.Probe"],
        ["Aviary.Hosting"] = ["Aviary.Protocol", "Aviary.Chain", "Aviary.Mining", "Aviary.Mining.Gpu", "Aviary.Node", "Aviary.Node.Udp", "Aviary.Web", "Aviary.Census"],
        ["Aviary.Bench"] = ["Aviary.Protocol", "Aviary.Chain", "Aviary.Mining", "Aviary.Mining.Gpu", "Aviary.Node", "Aviary.Node.Udp"],
        ["Aviary.Cli"] = ["Aviary.Protocol", "Aviary.Chain", "Aviary.Mining", "Aviary.Mining.Gpu", "Aviary.Node", "Aviary.Node.Udp", "Aviary.Hosting", "Aviary.Client", "Aviary.Probe", "Aviary.Simulation", "Aviary.Bench", "Aviary.Web", "Aviary.Census"],
    };

    [Fact]
    public void Every_source_project_references_exactly_what_the_map_says()
    {
        var graph = RepositoryFiles.SourceGraph();
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), graph.Keys);
        foreach (var (project, references) in graph)
        {
            var unexpected = references.Except(Allowed[project]).ToList();
            Assert.True(unexpected.Count == 0, $"{project} references {string.Join(", ", unexpected)}, which the map (docs/architecture.md) does not allow");
            var missing = Allowed[project].Except(references).ToList();
            Assert.True(missing.Count == 0, $"{project} no longer references {string.Join(", ", missing)}: update the map (docs/architecture.md) with the new shape");
        }
    }

    [Fact]
    public void The_core_reaches_nothing_but_the_codec_and_the_chain_even_indirectly()
    {
        var graph = RepositoryFiles.SourceGraph();
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(graph["Aviary.Node"]);
        while (stack.TryPop(out var next))
        {
            if (reached.Add(next))
            {
                foreach (var r in graph.GetValueOrDefault(next) ?? new HashSet<string>())
                {
                    stack.Push(r);
                }
            }
        }

        Assert.Equal(["Aviary.Chain", "Aviary.Protocol"], reached.Order(StringComparer.Ordinal));
    }
}
