namespace Aviary.Node.Limits;

/// <summary>
/// How <see cref="ReplyPacer"/> paces GET_BLOCK_REPLYs to a peer whose socket drops our bursts: the
/// rate it starts at, how it falls on further re-asks and recovers while the peer keeps up (additive
/// increase, multiplicative decrease, as TCP does), and the thresholds that engage and release it.
/// </summary>
public sealed record PaceLimits
{
    /// <summary>No pacing at all (benchmarks that measure raw serving speed).</summary>
    public static readonly PaceLimits Off = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Replies per second once pacing engages: a course peer that reads its socket from Python keeps up
    /// with this (500 blocks in a second), where a burst of 500 at once overflows a small receive buffer.
    /// </summary>
    public double StartRate { get; init; } = 500;

    /// <summary>Floor: a peer that drops even this gets ten blocks a second (its own retries do the rest).</summary>
    public double MinRate { get; init; } = 10;

    /// <summary>Added to the rate after each round with no re-asks.</summary>
    public double Increase { get; init; } = 100;

    /// <summary>Pacing is released (replies go at once again) when the rate grows back to this and nothing waits.</summary>
    public double ReleaseRate { get; init; } = 5000;

    /// <summary>Replies sent back to back within the rate.</summary>
    public double Burst { get; init; } = 8;

    /// <summary>Re-asks are judged per round.</summary>
    public TimeSpan Round { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Re-asks in a round that engage pacing (or slow it further), when they are also at least half the
    /// requests of the round: random loss of a few percent (or a duplicated datagram) never reaches it,
    /// a burst the peer's socket dropped does. Kept small because the re-asks before pacing engages
    /// are answered at once, in a burst of their own: a 16 KiB receive buffer holds about a dozen
    /// replies, so at 16 a few of those were lost again and cost the peer a further round.
    /// </summary>
    public int MinReasks { get; init; } = 8;

    /// <summary>A height asked again within this time of our answer is a re-ask (course peers retry after 10 s).</summary>
    public TimeSpan Memory { get; init; } = TimeSpan.FromSeconds(30);
}
