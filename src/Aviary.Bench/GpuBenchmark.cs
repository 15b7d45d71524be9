using Aviary.Mining.Gpu;

namespace Aviary.Bench;

/// <summary>
/// <c>aviary bench mining --gpu [--check]</c>: opens the GPU (or, asked explicitly, ILGPU's CPU accelerator),
/// then either measures it beside the best CPU tier or runs the kernel correctness check. No usable GPU:
/// one line and exit 2.
/// </summary>
public static class GpuBenchmark
{
    /// <summary>Measures (or, with <paramref name="check"/>, checks) the GPU tier on the device <paramref name="gpu"/> names.</summary>
    public static async Task<int> RunAsync(GpuOptions gpu, double seconds, int threads, bool json, bool check, int checkDifficulty, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!MiningBenchmark.OptionsValid(seconds, threads, error))
        {
            return ExitCodes.BadInput;
        }

        if (checkDifficulty is < 1 or > 12)
        {
            error.WriteLine($"aviary bench mining: --check-difficulty must be 1 to 12, got {checkDifficulty}");
            return ExitCodes.BadInput;
        }

        var progress = json ? TextWriter.Null : error;
        progress.WriteLine($"opening the {(gpu.Accelerator == GpuAccelerator.Cpu ? "ILGPU CPU accelerator" : "CUDA GPU")} {gpu.Device} (compiles the kernel and self-tests it) …");
        using var tier = GpuDevices.TryOpen(gpu, out var why);
        if (tier is null)
        {
            error.WriteLine($"aviary bench mining: no GPU to measure: {why}");
            return ExitCodes.BadInput;
        }

        if (check)
        {
            return await GpuCheck.RunAsync(tier, checkDifficulty, output, cancellationToken) ? ExitCodes.Ok : ExitCodes.Failed;
        }

        var report = await GpuBench.RunAsync(tier, TimeSpan.FromSeconds(seconds), threads, progress, cancellationToken);
        if (json)
        {
            report.WriteJson(output);
        }
        else
        {
            report.WriteText(output);
        }

        return ExitCodes.Ok;
    }
}
