namespace Aviary.Node.Core;

/// <summary>
/// The core's scheduler: a priority queue of due events keyed by time, read from an injected
/// <see cref="TimeProvider"/>. One-shot events, recurring events and deadlines (wait states) are all
/// entries; cancelling one is O(1) (it is skipped when it comes due). No threads, no wall clock.
/// </summary>
public sealed class EventQueue(TimeProvider time) : IEventQueueView
{
    /// <summary>Upper bound on pending entries: every producer of timers is itself bounded, this guards the sum.</summary>
    public const int MaxPending = 100_000;

    private readonly PriorityQueue<ScheduledEvent, (DateTimeOffset At, long Sequence)> queue = new();
    private long sequence;

    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Pending entries, cancelled ones included until they come due.</summary>
    public int Count => queue.Count;

    /// <summary>When the next entry is due, or null when nothing is scheduled.</summary>
    public DateTimeOffset? NextDue => queue.TryPeek(out _, out var key) ? key.At : null;

    /// <summary>Runs <paramref name="action"/> once at <paramref name="at"/> (or at the next run if that has passed).</summary>
    public ScheduledEvent At(DateTimeOffset at, Action action) => Enqueue(new ScheduledEvent(action, null), at);

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/>.</summary>
    public ScheduledEvent After(TimeSpan delay, Action action) => At(Now + delay, action);

    /// <summary>Runs <paramref name="action"/> every <paramref name="period"/>, first after <paramref name="firstDelay"/> (default: one period).</summary>
    public ScheduledEvent Every(TimeSpan period, Action action, TimeSpan? firstDelay = null)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "a recurring event needs a positive period");
        }

        return Enqueue(new ScheduledEvent(action, period), Now + (firstDelay ?? period));
    }

    /// <summary>
    /// A wait state: <paramref name="onTimeout"/> runs at <paramref name="deadline"/> unless the wait is
    /// completed first with <see cref="ScheduledEvent.Cancel"/>.
    /// </summary>
    public ScheduledEvent WaitUntil(DateTimeOffset deadline, Action onTimeout) => At(deadline, onTimeout);

    /// <summary>
    /// A wait state that waits for answers: <paramref name="then"/> runs once, when every one of
    /// <paramref name="awaiting"/> has answered (<see cref="WaitState{T}.Answer"/>) or at
    /// <paramref name="deadline"/>, whichever comes first. It takes one entry in the queue, the deadline.
    /// </summary>
    public WaitState<T> Wait<T>(IEnumerable<T> awaiting, DateTimeOffset deadline, Action then)
        where T : notnull
    {
        var wait = new WaitState<T>(awaiting, then);
        wait.Deadline = At(deadline, wait.Continue);
        return wait;
    }

    /// <summary>Runs every entry due at or before now, in time order (ties in scheduling order). Returns how many ran.</summary>
    public int RunDue()
    {
        var ran = 0;
        var now = Now;
        while (queue.TryPeek(out var next, out var key) && key.At <= now)
        {
            queue.Dequeue();
            if (next.Cancelled)
            {
                continue;
            }

            if (next.Period is { } period)
            {
                // Re-arm before running, so the action may cancel its own recurrence.
                var at = key.At + period;
                Enqueue(next, at <= now ? now + period : at);
            }
            else
            {
                next.Cancel();
            }

            next.Action();
            ran++;
        }

        return ran;
    }

    private ScheduledEvent Enqueue(ScheduledEvent e, DateTimeOffset at)
    {
        if (queue.Count >= MaxPending)
        {
            Compact();
        }

        if (queue.Count >= MaxPending)
        {
            throw new InvalidOperationException($"more than {MaxPending} pending events: a timer producer is unbounded");
        }

        queue.Enqueue(e, (at, sequence++));
        return e;
    }

    /// <summary>Drops cancelled entries (they are otherwise only skipped when due).</summary>
    private void Compact()
    {
        var live = new List<(ScheduledEvent, (DateTimeOffset, long))>(queue.Count);
        while (queue.TryDequeue(out var e, out var key))
        {
            if (!e.Cancelled)
            {
                live.Add((e, key));
            }
        }

        queue.EnqueueRange(live);
    }
}

/// <summary>What the core's hosts and tools may read of its queue: the time, the next due entry, how many are pending.</summary>
public interface IEventQueueView
{
    DateTimeOffset Now { get; }

    DateTimeOffset? NextDue { get; }

    int Count { get; }
}

/// <summary>
/// A step that waits for answers until a deadline, then continues: its continuation runs exactly once,
/// early when the last awaited answer arrives, else when the deadline comes due.
/// </summary>
public sealed class WaitState<T>
    where T : notnull
{
    private readonly HashSet<T> awaiting;
    private readonly Action then;

    internal WaitState(IEnumerable<T> awaiting, Action then)
    {
        this.awaiting = [.. awaiting];
        this.then = then;
    }

    /// <summary>Those that have not answered yet, in the order they were asked.</summary>
    public IReadOnlySet<T> Awaiting => awaiting;

    /// <summary>True until the continuation has run (or the wait was abandoned).</summary>
    public bool Waiting => !Deadline.Cancelled;

    internal ScheduledEvent Deadline { get; set; } = null!;

    /// <summary>
    /// Records <paramref name="answerer"/>'s answer; false when it was not awaited (or the wait is over).
    /// The last awaited answer runs the continuation at once.
    /// </summary>
    public bool Answer(T answerer)
    {
        if (!Waiting || !awaiting.Remove(answerer))
        {
            return false;
        }

        if (awaiting.Count == 0)
        {
            Continue();
        }

        return true;
    }

    /// <summary>Stops waiting without running the continuation.</summary>
    public void Abandon() => Deadline.Cancel();

    internal void Continue()
    {
        Deadline.Cancel();
        then();
    }
}

/// <summary>A scheduled entry; cancel it to stop it (and any recurrence).</summary>
public sealed class ScheduledEvent(Action action, TimeSpan? period)
{
    internal Action Action { get; } = action;

    internal TimeSpan? Period { get; } = period;

    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;
}
