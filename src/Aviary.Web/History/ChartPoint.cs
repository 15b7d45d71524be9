using Aviary.Node;

namespace Aviary.Web.History;

/// <summary>
/// One sample of what the page's charts draw: our height and the best height a peer claims, the miner's
/// rates, the traffic counters so far (the page draws their rate) and the running download's progress.
/// </summary>
/// <param name="At">Unix time in seconds (the node's clock).</param>
public sealed record ChartPoint(
    double At,
    long Height,
    long? BestPeerHeight,
    double? HashesPerSecond,
    double? RemoteHashesPerSecond,
    long BytesIn,
    long BytesOut,
    double? SyncPercent)
{
    /// <summary>The sample of <paramref name="s"/>.</summary>
    public static ChartPoint Of(NodeStatus s)
    {
        long? best = null;
        foreach (var p in s.Peers)
        {
            if (p.Height is { } h && !p.Misbehaving && (best is null || h > best))
            {
                best = h;
            }
        }

        return new(
            s.At.ToUnixTimeMilliseconds() / 1000.0,
            s.Height,
            best,
            s.Miner?.AttemptsPerSecond,
            s.Miner?.RemoteAttemptsPerSecond,
            s.Counters.BytesIn,
            s.Counters.BytesOut,
            s.Sync is { } d ? SyncProgress.Percent(d) : null);
    }
}

/// <summary>How far a download has come, in percent of the blocks it must verify.</summary>
public static class SyncProgress
{
    public static double Percent(SyncStatus d)
    {
        var total = d.Target.Height - d.ForkHeight;
        return total <= 0 ? 100 : Math.Clamp(100.0 * (d.VerifiedHeight - d.ForkHeight) / total, 0, 100);
    }
}
