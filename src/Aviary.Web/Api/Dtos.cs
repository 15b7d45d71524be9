using Aviary.Web.History;

namespace Aviary.Web.Api;

/// <summary>GET /api/status: everything the page shows, in one object.</summary>
public sealed record StatusDto(
    DateTimeOffset At,
    NodeDto Node,
    ChainDto Chain,
    IReadOnlyList<PeerDto> Peers,
    SyncDto? Sync,
    LastSyncDto? LastSync,
    CountersDto Counters,
    IReadOnlyDictionary<string, long> Rejections,
    IReadOnlyList<MinerCount> Miners,
    int DistinctMiners,
    MinerDto? Miner,
    DefencesDto? Defences = null)
{
    /// <summary>This status as one point of the charts.</summary>
    public ChartPoint? Sample { get; init; }
}

/// <summary>GET /api/history: what the charts start from.</summary>
public sealed record HistoryDto(IReadOnlyList<ChartPoint> Points, int MaxPoints, IReadOnlyList<IntervalDto> Intervals);

/// <summary>Seconds between block <see cref="Height"/> and the one before it, by their timestamps.</summary>
public sealed record IntervalDto(long Height, long Seconds);

/// <summary>
/// The node's miner, from the core's own status (null when the node does not mine): what it is doing,
/// how fast (its threads and remote workers), the block being mined ("Currently mining") and the words
/// waiting for later blocks ("Data to mine").
/// </summary>
public sealed record MinerDto(
    bool Mining,
    int Threads,
    string Tier,
    double HashesPerSecond,
    double RemoteHashesPerSecond,
    IReadOnlyList<WorkerDto> Workers,
    long DroppedWorkers,
    long? MiningHeight,
    long? JobId,
    IReadOnlyList<string> CurrentMessages,
    int QueuedCount,
    IReadOnlyList<string> QueuedWords,
    IReadOnlyDictionary<string, long> WordRejections,
    long BlocksMined,
    long StaleSolutions,
    long RejectedSolutions,
    IReadOnlyList<GpuDto> Gpus);

/// <summary>A GPU mining for this node (run --gpu), beside the CPU threads.</summary>
public sealed record GpuDto(string Device, double HashesPerSecond);

/// <summary>A remote worker connected to our worker port.</summary>
public sealed record WorkerDto(string Address, string? Name, string? Tier, int Threads, double HashesPerSecond, long Solutions, DateTimeOffset ConnectedAt);

/// <summary>
/// What the flood defences held back: datagrams dropped by the per-source rate limits (by budget),
/// sends withheld from unproven addresses (by reason and message type), replies paced for slow peers.
/// </summary>
public sealed record DefencesDto(
    IReadOnlyDictionary<string, long> RateLimited,
    IReadOnlyList<WithheldDto> Withheld,
    long RepliesPaced,
    long InboxDropped,
    long ChallengesSent,
    long AddressesProven);

/// <summary>Sends withheld for one reason, of one message type.</summary>
public sealed record WithheldDto(string Reason, string Type, long Count);

/// <summary>Who this node is.</summary>
public sealed record NodeDto(string Name, string Id, string Address, int Difficulty, DateTimeOffset StartedAt);

/// <summary>Our chain: its block count (STATS height), top hash and top block.</summary>
public sealed record ChainDto(long Height, string? TopHash, BlockDto? Top);

/// <summary>
/// A tracked peer; ages are seconds on the node's clock. <see cref="ClaimAgeSeconds"/> is the age of its
/// height @ hash (its last STATS_REPLY), null when it never answered one.
/// </summary>
public sealed record PeerDto(string Name, string Address, long? Height, string? TopHash, double LastHeardSecondsAgo, DateTimeOffset FirstSeen, bool Misbehaving)
{
    /// <summary>Seconds since its last STATS_REPLY (the claim shown), or null.</summary>
    public double? ClaimAgeSeconds { get; init; }

    /// <summary>True when it proved it receives what we send (answered one of our requests, or is a bootstrap peer).</summary>
    public bool Proven { get; init; }
}

/// <summary>A download in progress.</summary>
public sealed record SyncDto(long TargetHeight, string TargetHash, string Phase, long ForkHeight, long VerifiedHeight, double Percent, int InFlight, long Requests, long Retransmissions, DateTimeOffset StartedAt, int Peers);

/// <summary>The last finished sync.</summary>
public sealed record LastSyncDto(long TargetHeight, string TargetHash, long ForkHeight, long Fetched, double Seconds, double BlocksPerSecond, long Requests, long Retransmissions, string Outcome, DateTimeOffset At);

/// <summary>Traffic counters.</summary>
public sealed record CountersDto(
    long DatagramsIn,
    long BytesIn,
    long DatagramsOut,
    long BytesOut,
    long InvalidBlocks,
    long ConsensusRequests,
    long OversizedRefused,
    long Rejected,
    IReadOnlyDictionary<string, long> Received,
    IReadOnlyDictionary<string, long> Sent);

/// <summary>One block as the API serves it, with its predecessor's hash and its proof of work.</summary>
public sealed record BlockDto(long Height, string Hash, string? PreviousHash, string MinedBy, string Nonce, IReadOnlyList<string> Messages, long Timestamp, int Zeros);

/// <summary>GET /api/blocks: a page of blocks, newest first, and where the chain ends.</summary>
public sealed record BlockPageDto(long Height, long From, int Count, IReadOnlyList<BlockDto> Blocks);

/// <summary>The "block" live event: the chain changed; its new top and newest blocks.</summary>
public sealed record ChainEventDto(long Height, string? TopHash, IReadOnlyList<BlockDto> Blocks);

/// <summary>An API error.</summary>
public sealed record ErrorDto(string Error);

/// <summary>What the page is served with, so its first paint has data: a status and the newest blocks.</summary>
public sealed record InitialStateDto(StatusDto Status, BlockPageDto Blocks);
