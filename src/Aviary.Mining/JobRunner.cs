using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// Runs one job at a time on a <see cref="Miner"/>, on a counter range. A new job cancels the running
/// one (its threads stop within a millisecond) and starts once they have, so runs never overlap and
/// the miner's rate stays per run. Thread-safe; results are reported on the runner's own task.
/// </summary>
public sealed class JobRunner : IAsyncDisposable
{
    private readonly Miner miner;
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly CancellationTokenSource disposed = new();
    private readonly Lock gate = new();
    private readonly Task loop;
    private Work? latest;
    private CancellationTokenSource? running;

    /// <summary>A runner for <paramref name="miner"/>; it idles until <see cref="Run"/>.</summary>
    public JobRunner(Miner miner)
    {
        this.miner = miner;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Raised (on the runner's task) when a run finds a block. The job may have been replaced meanwhile.</summary>
    public event Action<MiningJob, Block>? Found;

    /// <summary>Raised (on the runner's task) once a job's threads have been started.</summary>
    public event Action<MiningJob>? Started;

    /// <summary>Raised (on the runner's task) when a job cannot be mined at all (a template the layout refuses).</summary>
    public event Action<MiningJob, Exception>? Faulted;

    /// <summary>The miner that does the work.</summary>
    public Miner Miner => miner;

    /// <summary>Mines <paramref name="job"/> on counters [<paramref name="start"/>, <paramref name="end"/>), replacing any running job.</summary>
    public void Run(MiningJob job, ulong start, ulong end) => Replace(new Work(job, start, end));

    /// <summary>Stops the running job, if any, and idles.</summary>
    public void Stop() => Replace(null);

    public async ValueTask DisposeAsync()
    {
        Stop();
        await disposed.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        disposed.Dispose();
        signal.Dispose();
    }

    private void Replace(Work? work)
    {
        lock (gate)
        {
            latest = work;
            running?.Cancel();
            if (work is not null && signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            await signal.WaitAsync(disposed.Token).ConfigureAwait(false);
            Work work;
            CancellationTokenSource cts;
            lock (gate)
            {
                if (latest is null)
                {
                    continue;
                }

                work = latest;
                cts = new CancellationTokenSource();
                running = cts;
            }

            Block? block = null;
            try
            {
                var run = miner.MineAsync(work.Job.Template, work.Job.Difficulty, cts.Token, work.Start, work.End);
                Started?.Invoke(work.Job);
                block = await run.ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
            {
                Faulted?.Invoke(work.Job, e);
            }

            lock (gate)
            {
                running = null;

                // Done with this job (found, or its range used up) unless a newer one is waiting.
                if (ReferenceEquals(latest, work))
                {
                    latest = null;
                }
            }

            cts.Dispose();
            if (block is not null)
            {
                Found?.Invoke(work.Job, block);
            }
        }
    }

    private sealed record Work(MiningJob Job, ulong Start, ulong End);
}
