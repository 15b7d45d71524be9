namespace Aviary.Node.Sync;

/// <summary>The download's bounds and timing, each with its reason.</summary>
public sealed record SyncLimits
{
    /// <summary>
    /// Blocks requested ahead of the verified tip. Bounds memory (≈ 4 MB of buffered blocks) whatever
    /// height a peer claims, while leaving room for lost requests to be retried without stalling.
    /// </summary>
    public int Window { get; init; } = 8192;

    /// <summary>Requests in flight to one peer at the start; grows by one per reply.</summary>
    public int InitialPerPeer { get; init; } = 32;

    /// <summary>Ceiling of requests in flight to one peer (course peers read a small socket buffer).</summary>
    public int MaxPerPeer { get; init; } = 256;

    /// <summary>
    /// Floor of requests in flight to one peer after loss events shrink it: one at a time, for a course
    /// peer that reads one datagram per socket and drops whatever else was queued.
    /// </summary>
    public int MinPerPeer { get; init; } = 1;

    /// <summary>Timeout before the first round trip is measured.</summary>
    public TimeSpan InitialTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Smallest per-peer timeout (loopback round trips are far shorter; this avoids spurious retries under load).</summary>
    public TimeSpan MinTimeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest per-peer timeout after back-off.</summary>
    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Consecutive loss events after which a silent peer is skipped for one (backed-off) timeout.</summary>
    public int StallAfter { get; init; } = 3;

    /// <summary>Null replies to heights below its claim after which a peer is taken for a liar.</summary>
    public int NullLimit { get; init; } = 3;

    /// <summary>
    /// With no progress for this long, the download gives up. Progress is any wanted, well-formed block
    /// delivered (not only a moving verified tip): a slow peer that keeps delivering is followed.
    /// </summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With blocks delivered but none verified for this long, the download gives up all the same: a
    /// peer that serves every height but the next one cannot hold a sync (and consensus) forever.
    /// </summary>
    public TimeSpan VerifiedStallLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often timeouts are swept (one timer for all requests, not one per request).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A peer's unanswered request is presumed lost once it answers one sent this many requests later
    /// (fast retransmit; 3 as TCP's duplicate-ACK threshold, room for a little reordering on the way).
    /// </summary>
    public int ReorderTolerance { get; init; } = 3;

    /// <summary>Highest a peer's reorder tolerance grows (past its largest window it never fires: timeouts alone).</summary>
    public int MaxReorderTolerance { get; init; } = 512;

    /// <summary>Verified blocks that extend our own tip are committed in batches of this size.</summary>
    public int CommitBatch { get; init; } = 2048;
}
