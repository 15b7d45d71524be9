using System.Globalization;
using System.Text.Json;

using Aviary.Mining;
using Aviary.Mining.Gpu;

namespace Aviary.Bench;

/// <summary>The GPU tier's rate beside the best CPU tier on all threads, measured in the same run on the same template.</summary>
internal sealed record GpuBench(string Device, bool CpuAccelerator, ulong LaunchCounters, int CountersPerThread, double Seconds, Rate Gpu, AllCoresRate Cpu)
{
    /// <summary>How many times the CPU's wall rate the GPU's is.</summary>
    public double Ratio => Gpu.PerWallSecond / Cpu.Measured.PerWallSecond;

    public static async Task<GpuBench> RunAsync(GpuTier tier, TimeSpan duration, int threads, TextWriter progress, CancellationToken cancellationToken)
    {
        var best = HashTiers.Best;
        progress.WriteLine($"measuring {best.Name} on {threads} threads for {duration.TotalSeconds:0.#} s …");
        var cpu = await MiningBench.MeasureMinerAsync(best, threads, duration, cancellationToken);
        progress.WriteLine($"measuring the GPU tier on {tier.Label} for {duration.TotalSeconds:0.#} s …");

        // One launch first, so that the measurement starts warm; then whole chunks until the time is up.
        tier.Search(NonceLayout.For(MiningBench.Template), NonceLayout.CounterLimit - tier.LaunchCounters, tier.LaunchCounters, 64, cancellationToken);
        var gpu = await MiningBench.MeasureMinerAsync(tier, 1, duration, cancellationToken);
        return new(tier.Label, tier.Kind == GpuAccelerator.Cpu, tier.LaunchCounters, tier.CountersPerThread, duration.TotalSeconds, gpu, new(best.Name, threads, cpu));
    }

    public void WriteText(TextWriter o)
    {
        o.WriteLine($"aviary bench mining --gpu: {Seconds:0.#} s per measurement, wall-clock rates");
        o.WriteLine($"device: {Device}{(CpuAccelerator ? " — these are NOT GPU figures" : string.Empty)}");
        o.WriteLine($"launch: {LaunchCounters} counters ({CountersPerThread} per thread)");
        o.WriteLine($"gpu       {MiningBenchReport.Millions(Gpu.PerWallSecond),12}/s");
        o.WriteLine($"cpu       {MiningBenchReport.Millions(Cpu.Measured.PerWallSecond),12}/s  ({Cpu.Tier} on {Cpu.Threads} threads)");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio     {Ratio,12:0.00}×  (gpu / cpu)"));
        o.WriteLine("expected time per block (16^D / rate): gpu / cpu / both together");
        foreach (var d in new[] { 8, 9 })
        {
            o.WriteLine($"  difficulty {d}: {Duration(d, Gpu.PerWallSecond)} / {Duration(d, Cpu.Measured.PerWallSecond)} / {Duration(d, Gpu.PerWallSecond + Cpu.Measured.PerWallSecond)}");
        }
    }

    public void WriteJson(TextWriter o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("device", Device);
            w.WriteBoolean("cpuAccelerator", CpuAccelerator);
            w.WriteNumber("seconds", Seconds);
            w.WriteNumber("launchCounters", LaunchCounters);
            w.WriteNumber("gpuPerSecond", Math.Round(Gpu.PerWallSecond));
            w.WriteString("cpuTier", Cpu.Tier);
            w.WriteNumber("cpuThreads", Cpu.Threads);
            w.WriteNumber("cpuPerSecond", Math.Round(Cpu.Measured.PerWallSecond));
            w.WriteNumber("ratio", Math.Round(Ratio, 3));
            w.WriteStartObject("gpuSecondsPerBlock");
            w.WriteNumber("8", Math.Round(MiningBenchReport.SecondsPerBlock(8, Gpu.PerWallSecond), 2));
            w.WriteNumber("9", Math.Round(MiningBenchReport.SecondsPerBlock(9, Gpu.PerWallSecond), 2));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Duration(int difficulty, double rate) => MiningBenchReport.Duration(MiningBenchReport.SecondsPerBlock(difficulty, rate));
}
