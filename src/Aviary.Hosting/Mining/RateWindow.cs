using Aviary.Mining;

namespace Aviary.Hosting.Mining;

/// <summary>
/// A miner's rate averaged over the time since the previous reading (at least a second), so a status page
/// or a log line sees a steady figure however short blocks are. Read from one thread.
/// </summary>
internal sealed class RateWindow(Miner miner, TimeProvider time)
{
    /// <summary>The shortest window the rate is averaged over.</summary>
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    private long windowStart = time.GetTimestamp();
    private long windowAttempts = miner.Attempts;
    private double rate;

    /// <summary>Attempts per second over the last window.</summary>
    public double Read()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(windowStart, now);
        if (elapsed >= Shortest)
        {
            var attempts = miner.Attempts;
            rate = (attempts - windowAttempts) / elapsed.TotalSeconds;
            (windowStart, windowAttempts) = (now, attempts);
        }

        return rate;
    }
}
