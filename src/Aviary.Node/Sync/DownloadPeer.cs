namespace Aviary.Node.Sync;

/// <summary>One peer serving a download: its request window, its measured round trip and how it has behaved.</summary>
public sealed class DownloadPeer(PeerAddress address, SyncLimits limits)
{
    public PeerAddress Address { get; } = address;

    public int InFlight { get; set; }

    /// <summary>True when its STATS claimed the chain being fetched (so failing to serve it is a lie).</summary>
    public bool Claimed { get; init; }

    /// <summary>
    /// The request window: how many requests may be in flight to it now (AIMD, as TCP's congestion
    /// window: one more per reply, halved on a loss event, down to one request at a time).
    /// </summary>
    public int Capacity { get; private set; } = limits.InitialPerPeer;

    /// <summary>The retransmission timeout: <see cref="rto"/>, doubled for each loss event since the last reply.</summary>
    public TimeSpan Timeout { get; private set; } = limits.InitialTimeout;

    /// <summary>Loss events since its last reply (a burst of timeouts within one timeout period is one event).</summary>
    public int ConsecutiveLosses { get; private set; }

    public long Served { get; private set; }

    public int Nulls { get; set; }

    public long Timeouts { get; private set; }

    /// <summary>Loss events so far (each halved the window).</summary>
    public long LossEvents { get; private set; }

    /// <summary>Not asked again before this time (stalled).</summary>
    public DateTimeOffset SkipUntil { get; set; }

    /// <summary>Out of this download for good (served an invalid block, lied, or never answered).</summary>
    public bool Excluded { get; set; }

    /// <summary>When it last replied.</summary>
    public DateTimeOffset LastReply { get; private set; }

    /// <summary>
    /// How many requests later an answer must have been sent before an unanswered request to this
    /// peer is presumed lost: <see cref="SyncLimits.ReorderTolerance"/>, raised to the reordering
    /// seen each time a request presumed lost is answered after all (as Linux TCP's reordering
    /// metric), up to <see cref="SyncLimits.MaxReorderTolerance"/>.
    /// </summary>
    public int ReorderTolerance { get; private set; } = limits.ReorderTolerance;

    private DateTimeOffset lastLoss = DateTimeOffset.MinValue;
    private TimeSpan rto = limits.InitialTimeout;
    private TimeSpan? smoothed;
    private TimeSpan variance;

    public bool CanTake(DateTimeOffset now) => !Excluded && SkipUntil <= now && InFlight < Capacity;

    /// <summary>A round-trip sample (RFC 6298 smoothing): the timeout follows the measured round trip.</summary>
    public void Sample(TimeSpan rtt)
    {
        if (smoothed is not { } s)
        {
            smoothed = rtt;
            variance = rtt / 2;
        }
        else
        {
            var error = (s - rtt).Duration();
            variance = (variance * 3 + error) / 4;
            smoothed = (s * 7 + rtt) / 8;
        }

        rto = Clamp(smoothed.Value + variance * 4);
        Timeout = rto;
    }

    /// <summary>
    /// A request timed out. At most once per timeout period this is a loss event, as in TCP (a burst of
    /// requests lost together is one event): the timeout doubles and the window halves, down to one
    /// request at a time — what a peer that reads one datagram per socket can serve. Random loss on a
    /// fast peer does not collapse the window: between two events, one reply each adds one.
    /// </summary>
    /// <returns>True when this timeout was a new loss event.</returns>
    public bool BackOff(DateTimeOffset now)
    {
        Timeouts++;
        if (!LossEvent(now))
        {
            return false;
        }

        ConsecutiveLosses++;
        Timeout = Clamp(Timeout * 2);
        return true;
    }

    /// <summary>
    /// A request presumed lost because the peer answered later ones (fast retransmit): as a loss
    /// event, the window halves, at most once per timeout period; the timeout does not back off and
    /// the peer is not counted silent — it is answering.
    /// </summary>
    /// <returns>True when this was a new loss event.</returns>
    public bool Overtaken(DateTimeOffset now) => LossEvent(now);

    /// <summary>A request presumed lost was answered after all, <paramref name="distance"/> requests behind one answered before it.</summary>
    public void Reordered(long distance) =>
        ReorderTolerance = (int)Math.Clamp(distance + 1, ReorderTolerance, limits.MaxReorderTolerance);

    /// <summary>
    /// A reply to a request sent to it: the window grows by one (up to <see cref="SyncLimits.MaxPerPeer"/>)
    /// and the timeout's back-off is dropped, as Linux TCP does on an ACK. Without that, a peer whose
    /// replies mostly answer retransmissions (never an RTT sample, Karn's rule) would keep a timeout
    /// backed off to <see cref="SyncLimits.MaxTimeout"/>, and each lost request would wait that long.
    /// </summary>
    public void Replied(DateTimeOffset now)
    {
        LastReply = now;
        ConsecutiveLosses = 0;
        Timeout = rto;
        Served++;
        if (Capacity < limits.MaxPerPeer)
        {
            Capacity++;
        }
    }

    /// <summary>A loss, counted as an event at most once per timeout period: the window halves, down to one request.</summary>
    private bool LossEvent(DateTimeOffset now)
    {
        if (now - lastLoss < Timeout)
        {
            return false;
        }

        lastLoss = now;
        LossEvents++;
        Capacity = Math.Max(limits.MinPerPeer, Capacity / 2);
        return true;
    }

    private TimeSpan Clamp(TimeSpan t) => t < limits.MinTimeout ? limits.MinTimeout : t > limits.MaxTimeout ? limits.MaxTimeout : t;
}
