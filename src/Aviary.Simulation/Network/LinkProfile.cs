namespace Aviary.Simulation.Network;

/// <summary>
/// How one directed link treats a datagram: the chance it is lost, the chance it arrives twice, and
/// its latency (a base plus a uniform jitter drawn per datagram, so datagrams overtake each other).
/// </summary>
public readonly record struct LinkProfile(double Loss, double Duplication, TimeSpan BaseLatency, TimeSpan Jitter)
{
    /// <summary>A fast, lossless, in-order link.</summary>
    public static readonly LinkProfile Perfect = new(0, 0, TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
}

/// <summary>
/// The range each link's profile is drawn from. Every directed link gets its own profile, fixed by
/// the seed and the two endpoints alone (not by the order links are first used).
/// </summary>
public sealed record LinkFaults
{
    /// <summary>After the faults stop: no loss, no duplication, small latency and jitter.</summary>
    public static readonly LinkFaults Calm = new()
    {
        MaxLoss = 0,
        MaxDuplication = 0,
        MinLatency = TimeSpan.FromMilliseconds(1),
        MaxLatency = TimeSpan.FromMilliseconds(20),
        MaxJitter = TimeSpan.FromMilliseconds(5),
    };

    /// <summary>Highest loss rate of a link (each link draws its own from 0 to this).</summary>
    public double MaxLoss { get; init; } = 0.3;

    /// <summary>Highest duplication rate of a link.</summary>
    public double MaxDuplication { get; init; } = 0.5;

    public TimeSpan MinLatency { get; init; } = TimeSpan.FromMilliseconds(1);

    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromMilliseconds(80);

    /// <summary>Highest per-datagram jitter of a link: what makes datagrams arrive out of order.</summary>
    public TimeSpan MaxJitter { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>The profile of the directed link <paramref name="from"/> → <paramref name="to"/> under <paramref name="seed"/>.</summary>
    public LinkProfile ProfileOf(ulong seed, int from, int to)
    {
        var r = SimRandom.Derive(seed, (ulong)from, (ulong)to);
        return new LinkProfile(
            r.Between(0, MaxLoss),
            r.Between(0, MaxDuplication),
            r.Between(MinLatency, MaxLatency),
            r.Between(TimeSpan.Zero, MaxJitter));
    }
}
