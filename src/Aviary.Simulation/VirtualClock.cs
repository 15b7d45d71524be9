namespace Aviary.Simulation;

/// <summary>
/// The one virtual clock of a simulation. Only the event loop moves it, forward, to the time of the
/// next event; nothing reads the wall clock.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start)
{
    /// <summary>Where every run starts: a fixed instant, so traces do not depend on the day.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset Now { get; private set; } = start;

    /// <summary>Virtual time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => Now - Start;

    /// <summary>Moves the clock to <paramref name="to"/>; never backwards.</summary>
    internal void AdvanceTo(DateTimeOffset to)
    {
        if (to < Now)
        {
            throw new InvalidOperationException($"the virtual clock cannot go back from {Now:O} to {to:O}");
        }

        Now = to;
    }
}

/// <summary>
/// One node's view of the virtual clock: the global time plus a fixed skew (real hosts' clocks
/// disagree by minutes). Timers are not supported: the core schedules through its event queue and
/// the simulator wakes it, so a core that asked for a real timer would be a bug worth failing on.
/// </summary>
public sealed class SkewedClock(VirtualClock clock, TimeSpan skew) : TimeProvider
{
    public TimeSpan Skew { get; } = skew;

    public override DateTimeOffset GetUtcNow() => clock.Now + Skew;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => (clock.Now - clock.Start).Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("simulated nodes get no real timers: schedule through the core's EventQueue");

    /// <summary>The global instant at which this clock reads <paramref name="local"/>.</summary>
    public DateTimeOffset ToGlobal(DateTimeOffset local) => local - Skew;
}
