using System.Text;

using Aviary.Protocol;

namespace Aviary.Simulation.Checks;

/// <summary>One honest node against the best chain: what it holds, how much it shares, when it caught up.</summary>
public sealed record NodeStatus(string Name, string StartedWith, long Height, string? TopHash, long CommonPrefix, TimeSpan? CaughtUpAfter)
{
    /// <summary>Blocks of the best chain the node lacks or holds differently.</summary>
    public long Missing(long bestHeight) => bestHeight - CommonPrefix;

    /// <summary>Compares <paramref name="chain"/> with <paramref name="best"/>.</summary>
    public static NodeStatus Of(string name, string startedWith, IReadOnlyList<Block> chain, IReadOnlyList<Block> best, TimeSpan? caughtUpAfter)
    {
        var common = 0;
        while (common < chain.Count && common < best.Count && chain[common].Hash == best[common].Hash)
        {
            common++;
        }

        return new NodeStatus(name, startedWith, chain.Count, chain.Count == 0 ? null : chain[^1].Hash, common, caughtUpAfter);
    }
}

/// <summary>
/// Liveness verdict: every honest node holds the best chain's (height, top hash) within the bound
/// after the faults stopped. Lists who is behind, with what, and from which height they differ.
/// </summary>
public sealed record LivenessReport(long BestHeight, string? BestHash, IReadOnlyList<NodeStatus> Nodes, TimeSpan Bound)
{
    public IEnumerable<NodeStatus> Behind => Nodes.Where(n => n.CaughtUpAfter is null || n.CaughtUpAfter > Bound || n.Height != BestHeight || n.TopHash != BestHash);

    public bool Passed => !Behind.Any();

    /// <summary>The slowest node's catch-up time, when all caught up.</summary>
    public TimeSpan? SlowestCatchUp => Passed ? Nodes.Select(n => n.CaughtUpAfter ?? TimeSpan.Zero).DefaultIfEmpty().Max() : null;

    public override string ToString()
    {
        var text = new StringBuilder();
        var behind = Behind.ToList();
        text.Append($"best chain {BestHeight} blocks @ {Short(BestHash)}; ");
        if (behind.Count == 0)
        {
            return text.Append($"all {Nodes.Count} honest nodes hold it, the last after {SlowestCatchUp?.TotalSeconds:F1} s (bound {Bound.TotalSeconds:F0} s)").ToString();
        }

        text.Append($"{behind.Count} of {Nodes.Count} honest nodes behind after {Bound.TotalSeconds:F0} s:");
        foreach (var n in behind)
        {
            text.AppendLine().Append($"    {n.Name} (started {n.StartedWith}): height {n.Height} @ {Short(n.TopHash)}, ");
            text.Append(n.CommonPrefix == n.Height
                ? $"a prefix, missing heights {n.CommonPrefix}..{BestHeight - 1}"
                : $"diverges from height {n.CommonPrefix}, needs heights {n.CommonPrefix}..{BestHeight - 1}");
        }

        return text.ToString();
    }

    private static string Short(string? hash) => hash is null ? "(no chain)" : $"{hash[..8]}…{hash[^8..]}";
}
