namespace Aviary.Node.Sync;

/// <summary>One peer serving a download: its load, its measured round trip and how it has behaved.</summary>
public sealed class DownloadPeer(PeerAddress address, SyncLimits limits)
{
    public PeerAddress Address { get; } = address;

    public int InFlight { get; set; }

    /// <summary>True when its STATS claimed the chain being fetched (so failing to serve it is a lie).</summary>
    public bool Claimed { get; init; }

    /// <summary>How many requests may be in flight to it now (grows on replies, shrinks on timeouts).</summary>
    public int Capacity { get; set; } = limits.InitialPerPeer;

    public TimeSpan Timeout { get; private set; } = limits.InitialTimeout;

    public int ConsecutiveTimeouts { get; set; }

    public long Served { get; set; }

    public int Nulls { get; set; }

    public long Timeouts { get; set; }

    /// <summary>Not asked again before this time (stalled).</summary>
    public DateTimeOffset SkipUntil { get; set; }

    /// <summary>Out of this download for good (served an invalid block, lied, or never answered).</summary>
    public bool Excluded { get; set; }

    private DateTimeOffset lastBackOff;
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

        Timeout = Clamp(smoothed.Value + variance * 4);
    }

    /// <summary>
    /// A timeout: double the timeout (back-off) and shrink the in-flight allowance — at most once per
    /// timeout period, so a burst of requests lost together counts as one loss event, as in TCP.
    /// </summary>
    public void BackOff(DateTimeOffset now)
    {
        Timeouts++;
        ConsecutiveTimeouts++;
        if (now - lastBackOff < Timeout)
        {
            return;
        }

        lastBackOff = now;
        Timeout = Clamp(Timeout * 2);
        Capacity = Math.Max(limits.MinPerPeer, Capacity * 3 / 4);
    }

    /// <summary>When it last replied (or when it was first asked).</summary>
    public DateTimeOffset LastReply { get; set; }

    public void Replied(DateTimeOffset now)
    {
        LastReply = now;
        ConsecutiveTimeouts = 0;
        Served++;
        if (Capacity < limits.MaxPerPeer)
        {
            Capacity++;
        }
    }

    private TimeSpan Clamp(TimeSpan t) => t < limits.MinTimeout ? limits.MinTimeout : t > limits.MaxTimeout ? limits.MaxTimeout : t;
}
