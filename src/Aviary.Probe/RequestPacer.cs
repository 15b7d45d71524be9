using System.Diagnostics;

namespace Aviary.Probe;

/// <summary>
/// Spaces requests to one peer at most <c>rate</c> per second (evenly, no burst), whichever socket or
/// task sends them: what a census or a probe sends a peer stays under a fixed, small rate.
/// </summary>
public sealed class RequestPacer
{
    private readonly TimeSpan gap;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private TimeSpan next;

    public RequestPacer(double rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        gap = TimeSpan.FromSeconds(1 / rate);
    }

    /// <summary>Requests allowed so far (for tests and reports).</summary>
    public long Granted { get; private set; }

    /// <summary>Waits until the next request may go, and reserves its slot.</summary>
    public async ValueTask WaitAsync(CancellationToken cancel)
    {
        TimeSpan wait;
        lock (gate)
        {
            var now = clock.Elapsed;
            var slot = next > now ? next : now;
            next = slot + gap;
            wait = slot - now;
            Granted++;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancel);
        }
    }
}
