using Aviary.Probe;

namespace Aviary.Census;

/// <summary>Where a peer's chain sits against the best chain.</summary>
public enum PlaceKind
{
    /// <summary>It holds the best chain.</summary>
    Same,

    /// <summary>Its chain is a prefix of the best chain.</summary>
    Behind,

    /// <summary>Its chain extends the best chain but was not accepted as best (it does not verify).</summary>
    Ahead,

    /// <summary>Its chain leaves the best chain at <see cref="ChainPlace.ForkHeight"/>.</summary>
    Fork,

    /// <summary>It claims no chain.</summary>
    NoChain,

    /// <summary>It did not serve the blocks needed to place its chain.</summary>
    Unverifiable,
}

/// <summary>A peer's chain against the best chain: kind, lag (blocks behind) or the first height that differs.</summary>
public sealed record ChainPlace(PlaceKind Kind, long? Lag = null, long? ForkHeight = null, string? Detail = null)
{
    /// <summary>One word or phrase for tables.</summary>
    public string Text => Kind switch
    {
        PlaceKind.Same => "best",
        PlaceKind.Behind => $"behind by {Lag}",
        PlaceKind.Ahead => $"ahead by {Lag} (not verified)",
        PlaceKind.Fork => ForkHeight == 0 ? "other genesis" : $"fork at {ForkHeight}",
        PlaceKind.NoChain => "no chain",
        _ => "unverifiable",
    };
}

/// <summary>How we heard of a peer: it gossiped (directly or forwarded), or a peer's GOSSIP_REPLY named it.</summary>
public sealed record PeerSighting(string Host, int Port, string Name, string HeardFrom)
{
    public string Address => $"{Host}:{Port}";
}

/// <summary>Everything the census learned about one peer.</summary>
public sealed record CensusPeer
{
    public required string Address { get; init; }

    public required string Name { get; init; }

    /// <summary>How we heard of it ("entry", "gossip via 127.0.0.1:9101", "reply").</summary>
    public required string HeardFrom { get; init; }

    /// <summary>Whether it answered STATS.</summary>
    public bool Answered { get; init; }

    /// <summary>Its STATS claim: height (block count) and top hash.</summary>
    public long? Height { get; init; }

    public string? Hash { get; init; }

    public ChainPlace? Place { get; init; }

    /// <summary>The prober's grade (A–F), or null when it was not graded (silent, or out of time).</summary>
    public char? Grade { get; init; }

    public int Passed { get; init; }

    public int Failed { get; init; }

    /// <summary>Failed checks with their evidence.</summary>
    public IReadOnlyList<CheckResult> Failures { get; init; } = [];

    /// <summary>Why it was not graded, or another remark.</summary>
    public string? Note { get; init; }

    /// <summary>Whether its own chain verified (false when the chain check failed).</summary>
    public bool ChainVerified { get; init; }
}

/// <summary>A census: every peer found, the best chain and how long it took.</summary>
public sealed record CensusReport
{
    public required string Entry { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double Seconds { get; init; }

    public required IReadOnlyList<CensusPeer> Peers { get; init; }

    public long? BestHeight { get; init; }

    public string? BestHash { get; init; }

    /// <summary>Peers heard of past <see cref="CensusOptions.MaxPeers"/>, not followed.</summary>
    public int Dropped { get; init; }

    /// <summary>Whether the total time limit cut the census short.</summary>
    public bool TimeLimitReached { get; init; }

    public int OnBest => Peers.Count(p => p.Place?.Kind == PlaceKind.Same);

    public IEnumerable<CensusPeer> Silent => Peers.Where(p => !p.Answered);

    /// <summary>Branches off the best chain: peers grouped by the height where they leave it.</summary>
    public IEnumerable<IGrouping<long?, CensusPeer>> Forks =>
        Peers.Where(p => p.Place?.Kind == PlaceKind.Fork).GroupBy(p => p.Place!.ForkHeight).OrderBy(g => g.Key);
}
