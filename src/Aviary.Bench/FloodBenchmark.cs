using System.Diagnostics;
using System.Net;
using System.Text.Json;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Bench;

/// <summary>
/// <c>aviary bench flood</c>: a real node on loopback under eight hostile mixes in turn, while an honest
/// client asks for STATS. Prints managed heap and RSS every second, the honest client's latency, what
/// the node sent a third party named in forged GOSSIPs against what the attacker sent, and for the
/// forged-source mixes what reached the victim or all unproven sources beside the response budgets.
/// Every datagram goes to and from 127.0.0.0/8.
/// </summary>
public static class FloodBenchmark
{
    public static async Task<int> RunAsync(double seconds, double rate, bool json, CancellationToken stop)
    {
        if (seconds is < 6 or > 3600 || rate < 0)
        {
            Console.Error.WriteLine("aviary bench flood: --seconds 6..3600, --rate ≥ 0");
            return ExitCodes.BadInput;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var store = new InMemoryChainStore();
        store.Append(BenchChain.Mine(10, 1));
        var options = new NodeOptions { Name = "flooded", AdvertisedHost = "127.0.0.1", Port = host.LocalEndPoint.Port, Difficulty = 1 };
        var core = new NodeCore(options, new LocalChain(store, 1), host, TimeProvider.System, NullLogger.Instance, new Random(1));
        var node = host.RunAsync(core, done.Token);
        using var sink = new UdpSink();
        using var victim = new UdpSink(IPAddress.Parse("127.0.0.3"));
        using var honest = new HonestStatsClient(host.LocalEndPoint);
        using var attacker = new FloodAttacker();
        var clock = Stopwatch.StartNew();
        var threads = new[] { Start(() => sink.Run(done.Token)), Start(() => victim.Run(done.Token)), Start(() => honest.Run(clock, done.Token)) };
        var samples = new List<Sample>();
        var sampler = SampleAsync(host, core, clock, samples, done.Token);

        var mixes = FloodMix.All(sink.EndPoint, victim.EndPoint);
        var each = TimeSpan.FromSeconds(seconds / mixes.Count);
        var phases = new List<Phase>();
        var skipped = new List<object>();
        foreach (var mix in mixes)
        {
            if (attacker.Method(mix) is not { } method)
            {
                skipped.Add(new { mix = mix.Name, reason = attacker.RawUnavailable });
                Say(json, $"{mix.Name,-32} skipped: {attacker.RawUnavailable}");
                continue;
            }

            var start = clock.Elapsed.TotalSeconds;
            var before = await OnCore(host, () => core.Counters.DatagramsIn);
            var trafficBefore = await Traffic(host, core, victim, honest);
            var (inboxBefore, kernelBefore) = (host.InboxDropped, host.KernelDrops ?? 0);
            var (datagrams, bytes) = await Task.Run(() => attacker.Run(mix, host.LocalEndPoint, each, rate, stop));
            var received = await OnCore(host, () => core.Counters.DatagramsIn) - before;
            var (inboxDrops, kernelDrops) = (host.InboxDropped - inboxBefore, (host.KernelDrops ?? 0) - kernelBefore);
            var end = clock.Elapsed.TotalSeconds;
            var latency = Percentiles(honest.Latencies(start, end));
            var traffic = await Traffic(host, core, victim, honest) - trafficBefore;
            var budgets = FloodBudgets.For(mix.Check, options.ResponseLimits, traffic, clock.Elapsed.TotalSeconds - start, latency.P99, honest.StatsReplyBytes);
            phases.Add(new Phase(mix.Name, method, datagrams, bytes, datagrams / (end - start), received, latency, start, end, sink.Bytes, inboxDrops, kernelDrops, traffic.SentByType, budgets));
            Say(json, $"{mix.Name,-32} {datagrams / (end - start),9:N0}/s sent, {received / (end - start),9:N0}/s handled by the node, dropped {inboxDrops / (end - start),9:N0}/s by its inbox, {kernelDrops / (end - start),9:N0}/s by the kernel; honest STATS p50/p99 {latency.P50:0.0}/{latency.P99:0.0} ms");
            foreach (var figure in budgets)
            {
                Say(json, $"{string.Empty,-32} {figure}");
            }

            if (budgets.Count > 0)
            {
                Say(json, $"{string.Empty,-32} node sent (all, honest client included): {string.Join(", ", traffic.SentByType.Select(p => $"{p.Key} {p.Value:N0}"))}");
            }
        }

        var status = await OnCore(host, core.Snapshot);
        await done.CancelAsync();
        await node;
        await sampler;
        Array.ForEach(threads, t => t.Join());
        Report(json, seconds, rate, host, status, samples, phases, skipped, honest, sink, attacker);
        return ExitCodes.Ok;
    }

    private static void Report(bool json, double seconds, double rate, UdpHost host, NodeStatus status, List<Sample> samples, List<Phase> phases, List<object> skipped, HonestStatsClient honest, UdpSink sink, FloodAttacker attacker)
    {
        var c = status.Counters;
        var aimed = phases.Single(p => p.Name == FloodMix.ThirdPartyMix);
        var thirdPartyRatio = aimed.Bytes == 0 ? 0 : (double)sink.Bytes / aimed.Bytes;
        var fromAttacker = c.BytesIn - honest.BytesSent;
        var toOthers = c.BytesOut - honest.BytesReceived - sink.Bytes;
        var overall = fromAttacker == 0 ? 0 : (double)toOthers / fromAttacker;
        var settled = samples.Where(s => s.Seconds >= 10).ToList();
        var heapAt10 = settled.FirstOrDefault()?.HeapMb ?? 0;
        var all = Percentiles(honest.Latencies());
        var report = new
        {
            seconds,
            rate = rate == 0 ? "max" : rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            honest_proven = honest.Proven,
            honest_stats_ms = all,
            heap_mb_max = samples.Count == 0 ? 0 : samples.Max(s => s.HeapMb),
            heap_mb_at_10s = heapAt10,
            heap_mb_max_after_10s = settled.Count == 0 ? 0 : settled.Max(s => s.HeapMb),
            rss_mb_max = samples.Count == 0 ? 0 : samples.Max(s => s.RssMb),
            third_party = new { datagrams = sink.Datagrams, bytes = sink.Bytes, attacker_bytes_in_that_mix = aimed.Bytes, ratio = thirdPartyRatio },
            amplification_overall = new { bytes_from_attacker = fromAttacker, bytes_to_everyone_but_honest = toOthers, ratio = overall },
            attacker = new { datagrams = attacker.Datagrams, bytes = attacker.Bytes },
            node = new { c.DatagramsIn, c.DatagramsOut, c.BytesIn, c.BytesOut, rate_limited = c.RateLimited.ToDictionary(r => r.Key.ToString(), r => r.Value), withheld = c.Withheld, c.ChallengesSent, inbox_drops = host.InboxDropped, kernel_drops = host.KernelDrops, tables = status.Tables },
            budgets_held = phases.All(p => p.Budgets.All(b => b.Within)),
            phases,
            skipped,
            samples,
        };
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report));
            return;
        }

        Console.WriteLine();
        Console.WriteLine("  t(s)  heap MB   RSS MB  mix");
        foreach (var s in samples)
        {
            Console.WriteLine($"{s.Seconds,6:0} {s.HeapMb,8:0.0} {s.RssMb,8:0.0}  {phases.LastOrDefault(p => p.StartSeconds <= s.Seconds)?.Name}");
        }

        Console.WriteLine();
        Console.WriteLine($"honest STATS:  p50 {all.P50:0.0} ms, p99 {all.P99:0.0} ms over {all.Count:N0} requests (proven: {honest.Proven}; unanswered count as {HonestStatsClient.Timeout.TotalMilliseconds:0} ms)");
        Console.WriteLine($"managed heap:  max {report.heap_mb_max:0.0} MB; {heapAt10:0.0} MB at 10 s, max {report.heap_mb_max_after_10s:0.0} MB after; RSS max {report.rss_mb_max:0.0} MB (whole process: node and attacker)");
        Console.WriteLine($"third party:   {sink.Datagrams:N0} datagrams, {sink.Bytes:N0} bytes received ÷ {aimed.Bytes:N0} bytes the attacker sent naming it = {thirdPartyRatio:0.000000}");
        Console.WriteLine($"amplification: node sent {toOthers:N0} bytes to everyone but the honest client ÷ {fromAttacker:N0} bytes received from the attacker = {overall:0.0000}");
        Console.WriteLine($"node:          {c.DatagramsIn:N0} datagrams in, {c.RateLimited.Values.Sum():N0} rate-limited ({string.Join(", ", c.RateLimited.Select(r => $"{r.Key} {r.Value:N0}"))}), {c.Withheld.Values.Sum():N0} sends withheld, {c.ChallengesSent:N0} challenges, inbox drops {host.InboxDropped:N0}, kernel drops {host.KernelDrops?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"}");
        Console.WriteLine($"tables:        {status.Tables}");
        Console.WriteLine($"budgets:       {(report.budgets_held ? "every figure within its budget" : "SOME FIGURE OVER ITS BUDGET")}{(skipped.Count == 0 ? string.Empty : $"; {skipped.Count} mix skipped ({attacker.RawUnavailable})")}");
    }

    private static async Task SampleAsync(UdpHost host, NodeCore core, Stopwatch clock, List<Sample> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var tables = await OnCore(host, core.Tables).WaitAsync(stop);
                samples.Add(new Sample(Math.Round(clock.Elapsed.TotalSeconds), GC.GetTotalMemory(false) / 1048576.0, Environment.WorkingSet / 1048576.0, tables.Peers, tables.SeenIds, tables.PendingEvents));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private static Task<FloodTraffic> Traffic(UdpHost host, NodeCore core, UdpSink victim, HonestStatsClient honest) =>
        OnCore(host, () => new FloodTraffic(victim.Bytes, victim.Datagrams, honest.StatsReplies, core.Counters.Sent.ToDictionary()));

    private static Task<T> OnCore<T>(UdpHost host, Func<T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Post(() => result.SetResult(read()));
        return result.Task;
    }

    private static Thread Start(Action run)
    {
        var thread = new Thread(() => run()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static Latency Percentiles(double[] latencies)
    {
        if (latencies.Length == 0)
        {
            return new Latency(0, 0, 0);
        }

        Array.Sort(latencies);
        return new Latency(latencies[(int)(0.50 * (latencies.Length - 1))], latencies[(int)Math.Ceiling(0.99 * (latencies.Length - 1))], latencies.Length);
    }

    private static void Say(bool json, string line)
    {
        if (!json)
        {
            Console.WriteLine(line);
        }
    }

    private sealed record Latency(double P50, double P99, int Count);

    private sealed record Sample(double Seconds, double HeapMb, double RssMb, int Peers, int SeenIds, int PendingEvents);

    private sealed record Phase(string Name, string Method, long Datagrams, long Bytes, double PerSecond, long ReachedNode, Latency Latency, double StartSeconds, double EndSeconds, long ThirdPartyBytesSoFar, long InboxDrops, long KernelDrops, IReadOnlyDictionary<string, long> SentByType, IReadOnlyList<BudgetFigure> Budgets);
}
