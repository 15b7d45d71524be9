using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// Runs the latest job on a <see cref="Miner"/>, on a counter range. A new job cancels the running one
/// and starts at once, without waiting for the old threads to notice (they stop within 65,536 attempts
/// each), so a tip change never waits on a busy CPU twice. Runs are started on the runner's own thread,
/// keeping thread creation off the caller (the node's core thread). Thread-safe.
/// </summary>
public sealed class JobRunner : IAsyncDisposable
{
    private readonly Miner miner;
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly Lock gate = new();
    private readonly HashSet<Task> runs = [];
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Work? latest;
    private CancellationTokenSource? running;
    private bool disposed;

    /// <summary>A runner for <paramref name="miner"/>; it idles until <see cref="Run"/>.</summary>
    public JobRunner(Miner miner)
    {
        this.miner = miner;
        new Thread(Loop) { IsBackground = true, Name = "aviary-job-runner" }.Start();
    }

    /// <summary>Raised (on a pool thread) when a run finds a block. The job may have been replaced meanwhile.</summary>
    public event Action<MiningJob, Block>? Found;

    /// <summary>Raised (on the runner's thread) once a job's miner threads have been started.</summary>
    public event Action<MiningJob>? Started;

    /// <summary>Raised when a job cannot be mined at all (a template the layout refuses; on the runner's thread) or its search fails midway (a GPU lost; on a pool thread).</summary>
    public event Action<MiningJob, Exception>? Faulted;

    /// <summary>The miner that does the work.</summary>
    public Miner Miner => miner;

    /// <summary>Mines <paramref name="job"/> on counters [<paramref name="start"/>, <paramref name="end"/>), replacing any running job.</summary>
    public void Run(MiningJob job, ulong start, ulong end) => Replace(new Work(job, start, end));

    /// <summary>Stops the running job, if any, and idles.</summary>
    public void Stop() => Replace(null);

    /// <summary>Stops mining and waits until every miner thread has stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            latest = null;
            running?.Cancel();
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }

        await ended.Task.ConfigureAwait(false);
        Task[] left;
        lock (gate)
        {
            left = [.. runs];
        }

        await Task.WhenAll(left).ConfigureAwait(false);
        signal.Dispose();
    }

    private void Replace(Work? work)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            latest = work;
            running?.Cancel();
            if (work is not null && signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
    }

    private void Loop()
    {
        while (true)
        {
            signal.Wait();
            Work work;
            CancellationTokenSource cts;
            lock (gate)
            {
                if (disposed)
                {
                    break;
                }

                if (latest is null)
                {
                    continue;
                }

                work = latest;
                latest = null;
                cts = new CancellationTokenSource();
                running = cts;
            }

            Start(work, cts);
        }

        ended.SetResult();
    }

    private void Start(Work work, CancellationTokenSource cts)
    {
        Task<Block?> run;
        try
        {
            run = miner.MineAsync(work.Job.Template, work.Job.Difficulty, cts.Token, work.Start, work.End);
        }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
        {
            Finish(cts);
            Faulted?.Invoke(work.Job, e);
            return;
        }

        var done = run.ContinueWith(
            t =>
            {
                Finish(cts);
                if (t.IsFaulted)
                {
                    // A search that fails mid-job (a GPU lost, a driver error) is reported, never rethrown
                    // at shutdown; the next job starts afresh.
                    Faulted?.Invoke(work.Job, t.Exception.GetBaseException());
                }
                else if (t.IsCompletedSuccessfully && t.Result is { } block)
                {
                    Found?.Invoke(work.Job, block);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        lock (gate)
        {
            runs.Add(done);
            runs.RemoveWhere(r => r.IsCompleted);
        }

        Started?.Invoke(work.Job);
    }

    private void Finish(CancellationTokenSource cts)
    {
        lock (gate)
        {
            if (ReferenceEquals(running, cts))
            {
                running = null;
            }
        }

        cts.Dispose();
    }

    private sealed record Work(MiningJob Job, ulong Start, ulong End);
}
