using System.Diagnostics;

using Aviary.Chain;
using Aviary.Mining;

namespace Aviary.Bench;

/// <summary>Runs the mining measurements: each tier on one thread, the best tier on all threads, then the anchors.</summary>
internal static class MiningBench
{
    /// <summary>The template every measurement mines (and the Python anchor hashes): nonce digits end in word 13.</summary>
    public static BlockTemplate Template { get; } = new(
        "8f2c1d0a9b7e6f5a4c3b2a19080706050403020100ffeeddccbbaa9988776655", 1, "aviary-bench", ["hello", "world"], 1_732_000_000);

    /// <summary>A difficulty no hash meets (64 zeros), so every measurement runs its full time doing real work.</summary>
    private const int Unreachable = 64;

    public static async Task<MiningBenchReport> RunAsync(TimeSpan duration, int threads, TextWriter progress, CancellationToken cancellationToken)
    {
        var layout = NonceLayout.For(Template);
        var tiers = new List<TierRate>();
        foreach (var tier in HashTiers.All)
        {
            if (!tier.IsSupported)
            {
                tiers.Add(new(tier.Name, tier.Lanes, null, $"needs {tier.Requirement}"));
                continue;
            }

            progress.WriteLine($"measuring {tier.Name} on one thread for {duration.TotalSeconds:0.#} s …");
            tiers.Add(new(tier.Name, tier.Lanes, MeasureOneThread(tier, layout, duration, cancellationToken), null));
        }

        var best = HashTiers.Best;
        progress.WriteLine($"measuring {best.Name} on {threads} threads for {duration.TotalSeconds:0.#} s …");
        var allCores = await MeasureMinerAsync(best, threads, duration, cancellationToken);

        progress.WriteLine($"running the Python anchor for {duration.TotalSeconds:0.#} s …");
        var python = await MiningAnchors.PythonAsync(Template, duration, cancellationToken);
        progress.WriteLine($"running openssl speed for {Math.Max(1, (int)Math.Round(duration.TotalSeconds))} s …");
        var openssl = await MiningAnchors.OpenSslAsync(duration, cancellationToken);

        return new(duration.TotalSeconds, layout.NonceLength, layout.FastWord, tiers, new(best.Name, threads, allCores), python, openssl);
    }

    private static Rate MeasureOneThread(IHashTier tier, NonceLayout layout, TimeSpan duration, CancellationToken cancellationToken)
    {
        // Warm-up compiles the kernel for this layout; then whole chunks until the time is up.
        var chunk = tier.Lanes > 1 ? 1UL << 20 : 1UL << 16;
        tier.Search(layout, 0, chunk, Unreachable, cancellationToken);
        var next = chunk;
        ulong attempts = 0;
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            tier.Search(layout, next, chunk, Unreachable, cancellationToken);
            next += chunk;
            attempts += chunk;
        }

        return new(attempts, clock.Elapsed.TotalSeconds, (CpuTime() - cpu).TotalSeconds);
    }

    internal static async Task<Rate> MeasureMinerAsync(IHashTier tier, int threads, TimeSpan duration, CancellationToken cancellationToken)
    {
        var miner = new Miner(tier, threads);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        await miner.MineAsync(Template, Unreachable, stop.Token);
        return new(miner.Attempts, clock.Elapsed.TotalSeconds, (CpuTime() - cpu).TotalSeconds);
    }

    /// <summary>CPU time of this process: on a shared machine, attempts per CPU-second is the per-core figure.</summary>
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
