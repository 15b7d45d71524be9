using Aviary.Chain;
using Aviary.Mining;
using Aviary.Mining.Remote;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting.Mining;

/// <summary>
/// The real <see cref="IMiningEngine"/>: the node's own <see cref="Miner"/> threads on the lower half of
/// the counters and, when a worker port is open, remote workers on their slots of the upper half. Owns
/// both and disposes them. Start and Stop only signal and enqueue, so the core thread never waits here.
/// </summary>
public sealed class MiningHost : IMiningEngine, IAsyncDisposable
{
    /// <summary>The shortest window the reported rate is averaged over.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    private readonly JobRunner? runner;
    private readonly WorkerServer? workers;
    private readonly TimeProvider time = TimeProvider.System;
    private long windowStart;
    private long windowAttempts;
    private double rate;

    /// <summary>An engine over <paramref name="miner"/> (null: remote workers only) and <paramref name="workers"/> (null: none).</summary>
    public MiningHost(Miner? miner, WorkerServer? workers, ILogger logger)
    {
        if (miner is null && workers is null)
        {
            throw new ArgumentException("a mining host needs its own threads, remote workers, or both");
        }

        this.workers = workers;
        windowStart = time.GetTimestamp();
        if (miner is not null)
        {
            windowAttempts = miner.Attempts;
            runner = new JobRunner(miner);
            runner.Found += (job, block) => Found?.Invoke(job, block);
            runner.Started += job => Started?.Invoke(job);
            runner.Faulted += (job, e) => logger.LogError("mining: job {Job} cannot be mined: {Error}", job.Id, e.Message);
        }

        if (workers is not null)
        {
            workers.Found += (job, block) => Found?.Invoke(job, block);
        }
    }

    public event Action<MiningJob, Block>? Found;

    /// <summary>Raised (on the job runner's thread) once the node's own threads have been started on a job.</summary>
    public event Action<MiningJob>? Started;

    /// <summary>The worker listener, if any.</summary>
    public WorkerServer? Workers => workers;

    public void Start(MiningJob job)
    {
        runner?.Run(job, 0, CounterRanges.LocalEnd);
        workers?.Publish(job);
    }

    public void Stop()
    {
        runner?.Stop();
        workers?.Publish(null);
    }

    /// <summary>
    /// What the engine does now. The node's rate is averaged over the time since the previous call (at
    /// least a second), so a status page or a log line sees a steady figure however short blocks are.
    /// Call from one thread (the core's).
    /// </summary>
    public EngineStatus Status()
    {
        var miner = runner?.Miner;
        if (miner is not null)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(windowStart, now) >= RateWindow)
            {
                var attempts = miner.Attempts;
                rate = (attempts - windowAttempts) / time.GetElapsedTime(windowStart, now).TotalSeconds;
                (windowStart, windowAttempts) = (now, attempts);
            }
        }

        return new EngineStatus(miner?.Threads ?? 0, miner?.Tier.Name ?? "none", rate, WorkerStatuses(workers), workers?.DroppedWorkers ?? 0);
    }

    /// <summary>The worker server's view of its workers, as the node reports them.</summary>
    private static List<WorkerStatus> WorkerStatuses(WorkerServer? workers) =>
        workers is null
            ? []
            : [.. workers.Workers().Select(w => new WorkerStatus(w.Slot, w.Address, w.Name, w.Tier, w.Threads, w.AttemptsPerSecond, w.Solutions, w.ConnectedAt))];

    public async ValueTask DisposeAsync()
    {
        if (runner is not null)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
        }

        if (workers is not null)
        {
            await workers.DisposeAsync().ConfigureAwait(false);
        }
    }
}
