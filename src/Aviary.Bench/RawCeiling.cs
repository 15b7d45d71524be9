using Aviary.Node.Sync;
using Aviary.Node.Udp;
using Aviary.Protocol;

namespace Aviary.Bench;

/// <summary>
/// A raw anchor (<see cref="RawSyncAnchor"/>) run at the download's first and largest per-peer
/// window; the better of the two counts.
/// </summary>
internal sealed record RawCeiling(int LowWindow, SyncPace? Low, int HighWindow, SyncPace? High)
{
    public SyncPace? Best => (High?.BlocksPerSecond ?? 0) > (Low?.BlocksPerSecond ?? 0) ? High : Low;

    public Dictionary<int, double?> ByWindow => new() { [LowWindow] = Low?.BlocksPerSecond, [HighWindow] = High?.BlocksPerSecond };

    /// <summary>The batched anchor reads and writes with recvmmsg/sendmmsg: 64-bit Linux only.</summary>
    public static bool CanBatch => SocketReader.CanBatch;

    public static RawCeiling Measure(IReadOnlyList<Block> chain, int servers, SyncLimits limits, bool batched, CancellationToken stop) =>
        new(limits.InitialPerPeer, RawSyncAnchor.Run(chain, servers, limits.InitialPerPeer, batched, stop),
            limits.MaxPerPeer, RawSyncAnchor.Run(chain, servers, limits.MaxPerPeer, batched, stop));

    /// <summary>One line for the report, and one for Aviary's share of it.</summary>
    public string Describe(string label, string how, double ours) => Best is { } best
        ? $"{Pad(label)}{best.BlocksPerSecond:N0} blocks/s, {best.CpuMicrosecondsPerBlock:0.0} CPU µs per block ({how}; {Low?.BlocksPerSecond:N0} at {LowWindow} in flight per server, {High?.BlocksPerSecond:N0} at {HighWindow})\n{Pad($"of {label}")}{ours / best.BlocksPerSecond:P0}"
        : $"{Pad(label)}stalled (no reply for 10 s)";

    private static string Pad(string label) => $"{label} ".PadRight(9);
}
