namespace Aviary.Census;

/// <summary>One peer on the Network page.</summary>
public sealed record NetworkPeerView(
    string Name,
    string Address,
    long? Height,
    string? Hash,
    DateTimeOffset LastHeard,
    double LastHeardSecondsAgo,
    bool InMembership,
    string? Grade,
    bool? Answered,
    int Passed,
    int Failed,
    IReadOnlyList<FailedCheckView> Failures,
    DateTimeOffset? GradedAt,
    string Chain,
    string? ChainKind,
    long? Lag,
    long? ForkHeight);

public sealed record FailedCheckView(string Id, string Evidence);

/// <summary>A branch of the fork view: where it leaves the node's chain (null for the node's own) and who holds it.</summary>
public sealed record BranchView(string Label, long? ForkHeight, long TopHeight, IReadOnlyList<string> Peers);

/// <summary>The whole network as a node's census sees it (GET /api/network).</summary>
public sealed record NetworkView(
    DateTimeOffset At,
    long Height,
    string? TopHash,
    int Capacity,
    double RetentionHours,
    double GradeIntervalSeconds,
    IReadOnlyList<NetworkPeerView> Peers,
    IReadOnlyList<BranchView> Branches,
    IReadOnlyList<MinerBlocks> Miners)
{
    public static NetworkView From(CensusTable table, NodeReading? node, NetworkCensusOptions options, DateTimeOffset now)
    {
        var live = new HashSet<string>((node?.Peers ?? []).Select(p => $"{p.Host}:{p.Port}"), StringComparer.Ordinal);
        var peers = table.Snapshot().Select(e => new NetworkPeerView(
            e.Name,
            e.Address,
            e.Height,
            e.Hash,
            e.LastHeard,
            Math.Max(0, Math.Round((now - e.LastHeard).TotalSeconds, 1)),
            live.Contains(e.Address),
            e.Grade?.ToString(),
            e.Answered,
            e.Passed,
            e.Failed,
            [.. e.Failures.Select(f => new FailedCheckView(f.Id, Probe.Evidence.Printable(f.Evidence, 300)))],
            e.GradedAt,
            e.Place?.Text ?? (e.Answered == false ? "silent" : e.GradedAt is null ? "not graded yet" : "-"),
            e.Place?.Kind.ToString().ToLowerInvariant(),
            e.Place?.Lag,
            e.Place?.ForkHeight)).ToList();
        var height = node?.Height ?? 0;
        List<BranchView> branches =
        [
            new("this node's chain", null, height, [.. peers.Where(p => p.ChainKind is "same" or "behind").Select(p => p.Name)]),
            .. peers.Where(p => p.ChainKind == "fork").GroupBy(p => p.ForkHeight).OrderBy(g => g.Key)
                .Select(g => new BranchView(g.Key == 0 ? "other genesis" : $"fork at {g.Key}", g.Key, g.Max(p => p.Height ?? 0), [.. g.Select(p => p.Name)])),
        ];
        return new NetworkView(now, height, node?.TopHash, options.Capacity, options.Retention.TotalHours, options.GradeInterval.TotalSeconds, peers, branches, node?.Miners ?? []);
    }
}
