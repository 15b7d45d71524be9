using System.Globalization;
using System.Net;
using System.Text.Json;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Bench;

/// <summary>
/// <c>aviary bench sync</c>: K serving nodes and one syncing node on loopback, end-to-end blocks/s,
/// beside a stdlib Python server+client pair doing the same job in the same run.
/// </summary>
public static class SyncBenchmark
{
    private const int Difficulty = 1;

    public static async Task<int> RunAsync(int count, int peerCount, double loss, bool json, bool noAnchor, bool sqlite, CancellationToken stop)
    {
        if (count is < 1 or > 10_000_000 || peerCount is < 1 or > 64 || loss is < 0 or > 0.5)
        {
            Console.Error.WriteLine("aviary bench sync: --blocks 1..10,000,000, --peers 1..64, --loss 0..0.5");
            return ExitCodes.BadInput;
        }

        Say(json, $"mining a {count:N0}-block chain at difficulty {Difficulty}…");
        var chain = BenchChain.Mine(count, Difficulty);
        SyncReport? ours;
        var cpu = CpuClock.Start();
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        using (var syncStore = BenchStore.Create(sqlite))
        {
            ours = await SyncOnceAsync(chain, peerCount, loss, syncStore.Store, stop);
        }

        var ourCpu = cpu.MicrosecondsPer(count);
        var bytesPerBlock = (GC.GetTotalAllocatedBytes() - allocated) / count;
        var gcs = GC.CollectionCount(0) - collections;
        var peakBytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;

        if (ours is null)
        {
            Console.Error.WriteLine("aviary bench sync: the syncing node did not reach the chain's top within the time limit");
            return ExitCodes.Failed;
        }

        // The raw anchors: plain sockets as the issue defined them, and batched as our host reads and writes.
        var limits = new Aviary.Node.Sync.SyncLimits();
        Say(json, $"running the raw anchors (C# sockets only, {peerCount} servers, {limits.InitialPerPeer} and {limits.MaxPerPeer} in flight each; plain, then batched)…");
        var plain = RawCeiling.Measure(chain, peerCount, limits, batched: false, stop);
        var batched = RawCeiling.CanBatch ? RawCeiling.Measure(chain, peerCount, limits, batched: true, stop) : null;
        var raw = plain.Best?.BlocksPerSecond;

        double? anchor = null;
        string? anchorNote = null;
        if (!noAnchor)
        {
            Say(json, "running the Python anchor (stdlib server + client, 32 in flight, hashlib verification)…");
            var file = Path.Combine(Path.GetTempPath(), $"aviary-bench-chain-{Environment.ProcessId}.json");
            using (var stream = File.Create(file))
            {
                BlockFile.Write(chain, stream);
            }

            var (result, error) = PythonAnchor.Run("sync_anchor.py", [file, Difficulty.ToString(CultureInfo.InvariantCulture), loss.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(10));
            File.Delete(file);
            anchor = result?.GetProperty("blocks_per_second").GetDouble();
            anchorNote = error;
        }

        var report = new
        {
            blocks = count,
            peers = peerCount,
            store = sqlite ? "sqlite" : "memory",
            loss,
            seconds = ours.Seconds,
            blocks_per_second = ours.BlocksPerSecond,
            requests = ours.Requests,
            retransmissions = ours.Retransmissions,
            cpu_us_per_block = ourCpu,
            allocated_bytes_per_block = bytesPerBlock,
            collections = gcs,
            peak_rss_bytes_after_sync = peakBytes,
            raw_blocks_per_second = raw,
            raw_cpu_us_per_block = plain.Best?.CpuMicrosecondsPerBlock,
            raw_by_window = plain.ByWindow,
            fraction_of_raw = raw is { } r ? ours.BlocksPerSecond / r : (double?)null,
            batched_raw_blocks_per_second = batched?.Best?.BlocksPerSecond,
            batched_raw_cpu_us_per_block = batched?.Best?.CpuMicrosecondsPerBlock,
            batched_raw_by_window = batched?.ByWindow,
            fraction_of_batched_raw = batched?.Best is { } b ? ours.BlocksPerSecond / b.BlocksPerSecond : (double?)null,
            python_blocks_per_second = anchor,
            ratio = anchor is { } a ? ours.BlocksPerSecond / a : (double?)null,
            anchor_note = anchorNote,
        };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report));
        }
        else
        {
            Console.WriteLine($"aviary:  {count:N0} blocks from {peerCount} peers at {loss:P0} loss into {(sqlite ? "sqlite" : "memory")} in {ours.Seconds:0.000} s = {ours.BlocksPerSecond:N0} blocks/s, {ourCpu:0.0} CPU µs per block ({ours.Requests:N0} requests, {ours.Retransmissions:N0} retransmissions; peak RSS {peakBytes / (1024.0 * 1024):N0} MiB with the chain mined for the servers, before the anchors run)");
            Console.WriteLine(plain.Describe("raw:", "plain sockets, one ReceiveFrom and one SendTo per datagram, nothing decoded or verified", ours.BlocksPerSecond));
            Console.WriteLine(batched is null
                ? "batched: skipped (recvmmsg/sendmmsg: 64-bit Linux only)"
                : batched.Describe("batched:", "the same with recvmmsg/sendmmsg per wake-up, as Aviary's host", ours.BlocksPerSecond));
            Console.WriteLine(anchor is { } p
                ? $"python:  {p:N0} blocks/s (stdlib server + client, 32 in flight)\nratio:   {ours.BlocksPerSecond / p:0.00}x"
                : $"python:  skipped ({anchorNote ?? "--no-anchor"})");
        }

        return ExitCodes.Ok;
    }

    private static async Task<SyncReport?> SyncOnceAsync(List<Block> chain, int peerCount, double loss, IChainStore syncStore, CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(TimeSpan.FromMinutes(10));
        var hosts = new List<UdpHost>();
        var runs = new List<Task>();
        try
        {
            var servers = new List<PeerAddress>();
            for (var i = 0; i < peerCount; i++)
            {
                var store = new InMemoryChainStore();
                store.Append(chain);
                var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
                ITransport transport = loss > 0 ? new LossyTransport(host, loss, seed: i) : host;
                var core = new NodeCore(Options(host, $"server{i}", []), new LocalChain(store, Difficulty), transport, TimeProvider.System, NullLogger.Instance, new Random(i));
                hosts.Add(host);
                runs.Add(host.RunAsync(core, limit.Token));
                servers.Add(new PeerAddress("127.0.0.1", host.LocalEndPoint.Port));
            }

            var syncHost = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
            hosts.Add(syncHost);
            var local = new LocalChain(syncStore, Difficulty);
            var syncing = new NodeCore(Options(syncHost, "syncing", servers), local, syncHost, TimeProvider.System, NullLogger.Instance, new Random(99));
            var done = new TaskCompletionSource<SyncReport?>(TaskCreationOptions.RunContinuationsAsynchronously);
            local.Changed += _ =>
            {
                if (local.Count == chain.Count)
                {
                    // The report is written when the download ends, right after this commit.
                    syncHost.Post(() => done.TrySetResult(syncing.LastSync));
                }
            };
            runs.Add(syncHost.RunAsync(syncing, limit.Token));
            using var registration = limit.Token.Register(() => done.TrySetResult(null));
            var report = await done.Task;
            return report;
        }
        finally
        {
            await limit.CancelAsync();
            await Task.WhenAll(runs);
            hosts.ForEach(h => h.Dispose());
        }
    }

    private static NodeOptions Options(UdpHost host, string name, IReadOnlyList<PeerAddress> bootstrap) => new()
    {
        Name = name,
        AdvertisedHost = "127.0.0.1",
        Port = host.LocalEndPoint.Port,
        Bootstrap = bootstrap,
        Difficulty = Difficulty,
    };

    private static void Say(bool json, string line)
    {
        if (!json)
        {
            Console.WriteLine(line);
        }
    }
}
