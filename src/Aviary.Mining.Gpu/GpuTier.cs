using Aviary.Chain;
using Aviary.Protocol;

using ILGPU;
using ILGPU.Runtime;

namespace Aviary.Mining.Gpu;

/// <summary>
/// The nonce search on one ILGPU accelerator (a CUDA GPU, or the CPU accelerator in tests), as a tier a
/// <see cref="Miner"/> runs on one thread. Each call searches its range in launches of
/// <see cref="LaunchCounters"/> counters, checking cancellation between launches, so a job change waits at
/// most for the launch in flight. The smallest hit counter of a launch is re-checked with the reference hash
/// and <see cref="BlockValidator"/> before it is believed; a false one (possible from difficulty 9 on, where
/// the kernel only sees the last digest word) resumes the search just past it. Counters are tried in
/// increasing order as far as the result goes, so the tier finds the same first block as the CPU tiers.
/// Open one with <see cref="GpuDevices.TryOpen"/>. Thread-safe (searches take turns on the device).
/// </summary>
public sealed class GpuTier : IHashTier, ICountingSearch, IDisposable
{
    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly Action<Index1D, ArrayView<uint>, ArrayView<ulong>, KernelArgs, SpecializedValue<int>, SpecializedValue<ulong>> kernel;
    private readonly MemoryBuffer1D<uint, Stride1D.Dense> job;
    private readonly MemoryBuffer1D<ulong, Stride1D.Dense> result;
    private readonly LaunchShape shape;
    private readonly Lock device = new();
    private readonly uint[] jobWords = new uint[Sha256Kernel.JobWords];
    private readonly ulong[] noHit = [ulong.MaxValue];
    private long launches;
    private bool disposed;

    internal GpuTier(Context context, Accelerator accelerator, GpuOptions options)
    {
        this.context = context;
        this.accelerator = accelerator;
        shape = LaunchShape.For(accelerator, options);
        kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<uint>, ArrayView<ulong>, KernelArgs, SpecializedValue<int>, SpecializedValue<ulong>>(Sha256Kernel.Search);
        job = accelerator.Allocate1D<uint>(Sha256Kernel.JobWords);
        result = accelerator.Allocate1D<ulong>(1);
        Kind = options.Accelerator;
        DeviceName = accelerator.Name;
    }

    /// <summary>Raised on the searching thread after each launch (tests use it to change the job mid-search).</summary>
    public event Action? LaunchCompleted;

    public string Name => "gpu";

    /// <summary>Threads per launch.</summary>
    public int Lanes => shape.Threads;

    public string Requirement => "an NVIDIA GPU with its CUDA driver";

    public bool IsSupported => !disposed;

    /// <summary>Four launches per chunk of the <see cref="Miner"/>: its attempts count and rate move in steps of that.</summary>
    public ulong ChunkSize => 4 * shape.Counters;

    /// <summary>CUDA or the CPU accelerator.</summary>
    public GpuAccelerator Kind { get; }

    /// <summary>The device's name as the driver gives it.</summary>
    public string DeviceName { get; }

    /// <summary>What ran the kernel, for output: the device's name, marked when it is ILGPU's CPU accelerator rather than a GPU.</summary>
    public string Label => Kind == GpuAccelerator.Cpu ? $"ILGPU CPU accelerator ({DeviceName}), not a GPU" : DeviceName;

    /// <summary>Counters per launch.</summary>
    public ulong LaunchCounters => shape.Counters;

    /// <summary>Counters each thread tries per launch.</summary>
    public int CountersPerThread => shape.Batch;

    /// <summary>Launches made since the tier was opened.</summary>
    public long Launches => Interlocked.Read(ref launches);

    public Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken = default) =>
        Search(layout, startCounter, count, difficulty, cancellationToken, out _);

    public Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken, out ulong attempts)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegative(difficulty);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, Hex.HashLength);
        attempts = 0;
        if (startCounter >= NonceLayout.CounterLimit || count == 0)
        {
            return null;
        }

        var end = startCounter + Math.Min(count, NonceLayout.CounterLimit - startCounter);
        lock (device)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            accelerator.Bind();
            Upload(layout);
            var args = new KernelArgs
            {
                Batch = shape.Batch,
                ZeroMask = SearchDriver.ZeroMask(difficulty),
            };
            var at = startCounter;
            while (at < end)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    attempts = at - startCounter;
                    return null;
                }

                var first = at & ~(ulong)(shape.Batch - 1);
                var launchEnd = Math.Min(first + shape.Counters, end);
                var hit = Launch(args with { First = first, Start = at, End = launchEnd }, layout.End, layout.VaryingWords);
                LaunchCompleted?.Invoke();
                if (hit == ulong.MaxValue)
                {
                    at = launchEnd;
                    continue;
                }

                var block = layout.BlockFor(hit);
                if (BlockValidator.Validate(block, layout.Template.PreviousHash, layout.Template.Height, difficulty).IsValid)
                {
                    attempts = hit - startCounter + 1;
                    return block;
                }

                at = hit + 1;
            }

            attempts = end - startCounter;
            return null;
        }
    }

    /// <summary>
    /// Compiles the kernel for every layout there is (the fast word at 4 to 13, holding 3 or 4 digits) with
    /// empty launches, so a compiler failure shows when the device is opened, not in the middle of mining.
    /// </summary>
    internal void Precompile()
    {
        lock (device)
        {
            accelerator.Bind();
            for (var f = 4; f <= 13; f++)
            {
                foreach (var digits in (ReadOnlySpan<int>)[3, 4])
                {
                    Launch(new KernelArgs { Batch = shape.Batch, First = 0, Start = 0, End = 0 }, (4 * f) + digits, ScheduleDependence.VaryingMask(f));
                }
            }
        }
    }

    public override string ToString() => $"gpu ({Label})";

    public void Dispose()
    {
        lock (device)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            job.Dispose();
            result.Dispose();
            accelerator.Dispose();
            context.Dispose();
        }
    }

    private void Upload(NonceLayout layout)
    {
        layout.Midstate.CopyTo(jobWords);
        Sha256Scalar.ReadWords(layout.FinalBlock, jobWords.AsSpan(8));
        job.CopyFromCPU(jobWords);
    }

    private ulong Launch(KernelArgs args, int nonceEnd, ulong varying)
    {
        result.CopyFromCPU(noHit);
        var threads = args.End > args.First ? (int)((args.End - args.First + (ulong)args.Batch - 1) / (ulong)args.Batch) : 1;
        kernel(threads, job.View, result.View, args, new SpecializedValue<int>(nonceEnd), new SpecializedValue<ulong>(varying));
        accelerator.Synchronize();
        Interlocked.Increment(ref launches);
        var found = new ulong[1];
        result.CopyToCPU(found);
        return found[0];
    }
}
