using Aviary.Node.Core;
using Aviary.Node.Limits;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node;

/// <summary>
/// An immutable picture of a node at one moment, safe to hand to other threads (the dashboard, the
/// CLI). Taken on the core thread with <see cref="NodeCore.Snapshot"/>.
/// </summary>
public sealed record NodeStatus(
    DateTimeOffset At,
    string Name,
    string Id,
    PeerAddress Self,
    int Difficulty,
    long Height,
    string? TopHash,
    IReadOnlyList<PeerStatus> Peers,
    SyncStatus? Sync,
    SyncReport? LastSync,
    CounterStatus Counters,
    MinerStatus? Miner = null)
{
    /// <summary>How full each bounded table was.</summary>
    public TableSizes? Tables { get; init; }
}

/// <summary>One tracked peer as the status page shows it.</summary>
public sealed record PeerStatus(string Name, PeerAddress Address, long? Height, string? TopHash, DateTimeOffset LastHeard, DateTimeOffset FirstSeen, bool Misbehaving)
{
    /// <summary>True when it has proven it receives what we send (answered one of our requests, or is a bootstrap peer).</summary>
    public bool Proven { get; init; }

    /// <summary>When its last STATS_REPLY (its <see cref="Height"/> and <see cref="TopHash"/>) came, if ever.</summary>
    public DateTimeOffset? StatsAt { get; init; }
}

/// <summary>A download in progress.</summary>
public sealed record SyncStatus(ChainClaim Target, string Phase, long ForkHeight, long VerifiedHeight, int InFlight, long Requests, long Retransmissions, DateTimeOffset StartedAt, int Peers);

/// <summary>The node's counters at one moment.</summary>
public sealed record CounterStatus(
    long DatagramsIn,
    long BytesIn,
    long DatagramsOut,
    long BytesOut,
    long InvalidBlocks,
    long ConsensusRequests,
    long OversizedRefused,
    IReadOnlyDictionary<string, long> Received,
    IReadOnlyDictionary<string, long> Sent,
    IReadOnlyDictionary<RejectionReason, long> Rejections)
{
    /// <summary>Datagrams dropped because their source ran out of a rate budget, by budget (like <see cref="Rejections"/>).</summary>
    public IReadOnlyDictionary<RateClass, long> RateLimited { get; init; } = new Dictionary<RateClass, long>();

    /// <summary>Sends withheld from unproven addresses (past a response rate limit, or to a third party), by message type.</summary>
    public IReadOnlyDictionary<string, long> Withheld { get; init; } = new Dictionary<string, long>();

    /// <summary>Sends withheld, by reason and message type.</summary>
    public IReadOnlyList<WithheldCount> WithheldByReason { get; init; } = [];

    /// <summary>GET_BLOCK_REPLYs paced for peers whose sockets dropped our bursts.</summary>
    public long RepliesPaced { get; init; }

    /// <summary>Datagrams dropped from the host's inbox because the core fell behind (longest source's backlog first).</summary>
    public long InboxDropped { get; init; }

    /// <summary>GOSSIP challenges sent to unproven addresses.</summary>
    public long ChallengesSent { get; init; }

    /// <summary>Addresses that proved they receive (answered one of our requests).</summary>
    public long AddressesProven { get; init; }
}

/// <summary>Sends withheld for one reason, of one message type.</summary>
public sealed record WithheldCount(WithholdReason Reason, string Type, long Count);
