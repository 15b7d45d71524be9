namespace Aviary.Mining.Gpu.Tests;

/// <summary>The GPU tier on ILGPU's CPU accelerator, opened once for the tests that share it (opening compiles the kernel).</summary>
public sealed class CpuAccelerator : IDisposable
{
    public CpuAccelerator()
    {
        Tier = GpuDevices.TryOpen(Options, out var error) ?? throw new InvalidOperationException($"the CPU accelerator did not open: {error}");
    }

    /// <summary>Small launches, so that a test can watch a search go launch by launch: 8 threads × 64 counters.</summary>
    public static GpuOptions Options { get; } = new() { Accelerator = GpuAccelerator.Cpu, ThreadsPerLaunch = 8, CountersPerThread = 64 };

    public GpuTier Tier { get; }

    public void Dispose() => Tier.Dispose();
}
