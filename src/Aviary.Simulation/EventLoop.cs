namespace Aviary.Simulation;

/// <summary>
/// The single global event loop: a priority queue of actions (datagram deliveries, node wake-ups,
/// fault changes, adversary timers) ordered by (virtual time, sequence). Each step moves the clock
/// to the next item and runs it. Ties run in the order they were scheduled, so a run is a pure
/// function of its seed.
/// </summary>
public sealed class EventLoop(VirtualClock clock)
{
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> queue = new();
    private long sequence;

    public VirtualClock Clock { get; } = clock;

    public DateTimeOffset Now => Clock.Now;

    /// <summary>Items run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Items waiting.</summary>
    public int Pending => queue.Count;

    /// <summary>When the next item is due, or null when none waits.</summary>
    public DateTimeOffset? NextAt => queue.TryPeek(out _, out var key) ? key.At : null;

    /// <summary>Runs <paramref name="action"/> at <paramref name="at"/> (now, if that has passed).</summary>
    public void At(DateTimeOffset at, Action action) => queue.Enqueue(action, (at < Now ? Now : at, sequence++));

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> of virtual time.</summary>
    public void After(TimeSpan delay, Action action) => At(Now + delay, action);

    /// <summary>Runs every item due up to <paramref name="end"/>, then leaves the clock at <paramref name="end"/>.</summary>
    public void RunUntil(DateTimeOffset end) => RunUntil(end, null);

    /// <summary>Runs events up to <paramref name="end"/>, or until <paramref name="stop"/> holds after an event (then the clock stays there).</summary>
    public void RunUntil(DateTimeOffset end, Func<bool>? stop)
    {
        while (queue.TryPeek(out var action, out var key) && key.At <= end)
        {
            queue.Dequeue();
            Clock.AdvanceTo(key.At);
            Steps++;
            action();
            if (stop is not null && stop())
            {
                return;
            }
        }

        if (end > Now)
        {
            Clock.AdvanceTo(end);
        }
    }
}
