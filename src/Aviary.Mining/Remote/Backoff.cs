namespace Aviary.Mining.Remote;

/// <summary>Reconnect delays: <c>first</c>, doubling each time, never above <c>max</c>; back to <c>first</c> after a good connection.</summary>
public sealed class Backoff
{
    private readonly TimeSpan first;
    private readonly TimeSpan max;
    private TimeSpan next;

    public Backoff(TimeSpan first, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        this.first = first;
        this.max = max;
        next = first;
    }

    /// <summary>The delay to wait now; the following one doubles.</summary>
    public TimeSpan Next()
    {
        var delay = next;
        next = next * 2 > max ? max : next * 2;
        return delay;
    }

    /// <summary>Starts again from the first delay.</summary>
    public void Reset() => next = first;
}
