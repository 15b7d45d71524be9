namespace Aviary.Mining.Gpu;

/// <summary>Where the GPU tier's kernel runs.</summary>
public enum GpuAccelerator
{
    /// <summary>An NVIDIA GPU through the CUDA driver (the kernel is compiled to PTX at run time).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: the same kernel on CPU threads, for tests and for checking the path without a GPU.</summary>
    Cpu,
}

/// <summary>Which device the GPU tier opens, and (for tests) how large its launches are.</summary>
public sealed record GpuOptions
{
    /// <summary>CUDA, or the CPU accelerator.</summary>
    public GpuAccelerator Accelerator { get; init; } = GpuAccelerator.Cuda;

    /// <summary>The device's index among those of <see cref="Accelerator"/>'s kind.</summary>
    public int Device { get; init; }

    /// <summary>Threads per launch; null: from the device's properties (every multiprocessor full).</summary>
    public int? ThreadsPerLaunch { get; init; }

    /// <summary>Counters each thread tries per launch (a power of two up to 4,096); null: from the accelerator's kind.</summary>
    public int? CountersPerThread { get; init; }

    /// <summary>The accelerator's name as flags spell it: <c>cuda</c> or <c>cpu</c>.</summary>
    public static bool TryParseAccelerator(string text, out GpuAccelerator accelerator)
    {
        accelerator = string.Equals(text, "cpu", StringComparison.OrdinalIgnoreCase) ? GpuAccelerator.Cpu : GpuAccelerator.Cuda;
        return string.Equals(text, "cpu", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "cuda", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What is wrong with these options, or null.</summary>
    public string? Problem() =>
        Device < 0 ? $"the GPU device index must be 0 or more, got {Device}"
        : ThreadsPerLaunch is < 1 ? $"threads per launch must be positive, got {ThreadsPerLaunch}"
        : CountersPerThread is { } c && (c < 1 || c > 4096 || (c & (c - 1)) != 0) ? $"counters per thread must be a power of two up to 4096, got {c}"
        : null;
}
