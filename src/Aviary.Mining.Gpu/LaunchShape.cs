using ILGPU.Runtime;

namespace Aviary.Mining.Gpu;

/// <summary>
/// How many threads one launch runs and how many counters each tries: every multiprocessor filled to its
/// thread limit, and batches sized so that a launch lasts tens of milliseconds on a fast card (a job
/// change waits for at most the launch in flight).
/// </summary>
internal readonly record struct LaunchShape(int Threads, int Batch)
{
    /// <summary>Counters per thread on a GPU: 2,048, about 0.55 G counters per launch on an H100 (132 × 2,048 threads).</summary>
    public const int GpuBatch = 2048;

    /// <summary>Counters per thread on the CPU accelerator, whose threads are few and slow.</summary>
    public const int CpuBatch = 1024;

    /// <summary>Counters one launch covers.</summary>
    public ulong Counters => (ulong)Threads * (ulong)Batch;

    /// <summary>The shape for <paramref name="accelerator"/>, unless <paramref name="options"/> fixes it.</summary>
    public static LaunchShape For(Accelerator accelerator, GpuOptions options)
    {
        var cpu = accelerator.AcceleratorType == AcceleratorType.CPU;
        var threads = options.ThreadsPerLaunch ?? Math.Max(1, accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor);
        return new LaunchShape(threads, options.CountersPerThread ?? (cpu ? CpuBatch : GpuBatch));
    }
}
