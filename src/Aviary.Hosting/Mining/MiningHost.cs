using Aviary.Chain;
using Aviary.Mining;
using Aviary.Mining.Gpu;
using Aviary.Mining.Remote;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting.Mining;

/// <summary>
/// The real <see cref="IMiningEngine"/>: the node's own <see cref="Miner"/> threads on the lower half of
/// the counters (the lower quarter when a GPU takes the other), the node's GPU if any, and, when a worker
/// port is open, remote workers on their slots of the upper half. Owns all of them and disposes them.
/// Start and Stop only signal and enqueue, so the core thread never waits here.
/// </summary>
public sealed class MiningHost : IMiningEngine, IAsyncDisposable
{
    private readonly JobRunner? runner;
    private readonly JobRunner? gpuRunner;
    private readonly GpuTier? gpu;
    private readonly WorkerServer? workers;
    private readonly RateWindow? rate;
    private readonly RateWindow? gpuRate;

    /// <summary>
    /// An engine over <paramref name="miner"/> (null: no CPU threads), <paramref name="workers"/> (null: none)
    /// and <paramref name="gpu"/> (null: none; the host disposes it).
    /// </summary>
    public MiningHost(Miner? miner, WorkerServer? workers, ILogger logger, GpuTier? gpu = null)
    {
        if (miner is null && workers is null && gpu is null)
        {
            throw new ArgumentException("a mining host needs its own threads, a GPU, remote workers, or some of them");
        }

        this.workers = workers;
        this.gpu = gpu;
        var time = TimeProvider.System;
        if (miner is not null)
        {
            rate = new RateWindow(miner, time);
            runner = Runner(miner, logger);
        }

        if (gpu is not null)
        {
            var gpuMiner = new Miner(gpu, 1);
            gpuRate = new RateWindow(gpuMiner, time);
            gpuRunner = Runner(gpuMiner, logger);
        }

        if (workers is not null)
        {
            workers.Found += (job, block) => Found?.Invoke(job, block);
        }
    }

    public event Action<MiningJob, Block>? Found;

    /// <summary>Raised (on a job runner's thread) once the node's own threads, or its GPU, have been started on a job.</summary>
    public event Action<MiningJob>? Started;

    /// <summary>The worker listener, if any.</summary>
    public WorkerServer? Workers => workers;

    public void Start(MiningJob job)
    {
        runner?.Run(job, 0, gpuRunner is null ? CounterRanges.LocalEnd : CounterRanges.GpuStart);
        gpuRunner?.Run(job, CounterRanges.GpuStart, CounterRanges.LocalEnd);
        workers?.Publish(job);
    }

    public void Stop()
    {
        runner?.Stop();
        gpuRunner?.Stop();
        workers?.Publish(null);
    }

    /// <summary>What the engine does now; each rate is averaged over the time since the previous call. Call from one thread (the core's).</summary>
    public EngineStatus Status()
    {
        var miner = runner?.Miner;
        List<GpuStatus> gpus = gpu is null ? [] : [new GpuStatus(gpu.Label, gpuRate!.Read())];
        return new EngineStatus(miner?.Threads ?? 0, miner?.Tier.Name ?? "none", rate?.Read() ?? 0, WorkerStatuses(workers), workers?.DroppedWorkers ?? 0, gpus);
    }

    public async ValueTask DisposeAsync()
    {
        if (runner is not null)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
        }

        if (gpuRunner is not null)
        {
            await gpuRunner.DisposeAsync().ConfigureAwait(false);
        }

        gpu?.Dispose();
        if (workers is not null)
        {
            await workers.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The worker server's view of its workers, as the node reports them.</summary>
    private static List<WorkerStatus> WorkerStatuses(WorkerServer? workers) =>
        workers is null
            ? []
            : [.. workers.Workers().Select(w => new WorkerStatus(w.Slot, w.Address, w.Name, w.Tier, w.Threads, w.AttemptsPerSecond, w.Solutions, w.ConnectedAt))];

    private JobRunner Runner(Miner miner, ILogger logger)
    {
        var r = new JobRunner(miner);
        r.Found += (job, block) => Found?.Invoke(job, block);
        r.Started += job => Started?.Invoke(job);
        r.Faulted += (job, e) => logger.LogError("mining: job {Job} cannot be mined on {Tier}: {Error}", job.Id, miner.Tier.Name, e.Message);
        return r;
    }
}
