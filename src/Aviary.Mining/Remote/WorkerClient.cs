using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Mining.Remote;

/// <summary>Timings of a <see cref="WorkerClient"/>.</summary>
public sealed record WorkerClientOptions
{
    /// <summary>How often the worker reports its rate (also its keep-alive; the node drops workers silent for a minute).</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay; it doubles after each failed attempt.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for stats and reconnect delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// <c>aviary mine --connect</c>: a remote worker. Connects to a node's worker port, says hello, mines each
/// job on its counter range with a <see cref="Miner"/>, sends solutions and stats, and reconnects with
/// backoff (1 s doubling to 30 s) whenever the connection ends.
/// </summary>
public sealed class WorkerClient(string host, int port, string name, Miner miner, WorkerClientOptions options, ILogger logger)
{
    private long jobs;
    private long sent;
    private long connections;

    /// <summary>Jobs received over every connection.</summary>
    public long JobsReceived => Interlocked.Read(ref jobs);

    /// <summary>Solutions sent over every connection.</summary>
    public long SolutionsSent => Interlocked.Read(ref sent);

    /// <summary>Connections made (the first, then each reconnect that got through).</summary>
    public long Connections => Interlocked.Read(ref connections);

    /// <summary>Works and reconnects until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var backoff = new Backoff(options.FirstBackoff, options.MaxBackoff);
        await using var runner = new JobRunner(miner);
        while (!stop.IsCancellationRequested)
        {
            var gotWork = false;
            try
            {
                gotWork = await SessionAsync(runner, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                logger.LogWarning("worker: connection to {Host}:{Port} failed: {Error}", host, port, e.Message);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            runner.Stop();
            if (gotWork)
            {
                backoff.Reset();
            }

            var delay = backoff.Next();
            logger.LogInformation("worker: reconnecting to {Host}:{Port} in {Delay:0} s", host, port, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, options.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One connection; true when the node gave us at least one job (then the backoff starts over).</summary>
    private async Task<bool> SessionAsync(JobRunner runner, CancellationToken stop)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port, stop).ConfigureAwait(false);
        Interlocked.Increment(ref connections);
        logger.LogInformation("worker {Name}: connected to {Host}:{Port}, mining on {Threads} threads ({Tier})", name, host, port, miner.Threads, miner.Tier.Name);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var connection = new Connection(tcp.GetStream(), session.Token);
        long currentJob = 0;
        void OnFound(MiningJob job, Block block)
        {
            if (Interlocked.Read(ref currentJob) == job.Id)
            {
                Interlocked.Increment(ref sent);
                logger.LogInformation("worker: solved job {Job}, block {Height} {Hash}", job.Id, block.Height, block.Hash);
                _ = connection.SendAsync(new WorkerSolution(job.Id, block.Nonce));
            }
        }

        runner.Found += OnFound;
        var stats = StatsLoopAsync(connection, session.Token);
        var gotWork = false;
        try
        {
            await connection.SendAsync(new WorkerHello(name, miner.Threads, miner.Tier.Name)).ConfigureAwait(false);
            var reader = new LineReader(connection.Stream, WorkerLine.MaxNodeLine);
            while (true)
            {
                var (status, line) = await reader.ReadAsync(session.Token).ConfigureAwait(false);
                if (status != LineStatus.Line)
                {
                    logger.LogWarning("worker: {What}", status == LineStatus.End ? "the node closed the connection" : "the node sent an over-long line");
                    break;
                }

                if (!WorkerLine.TryDecode(line, out var message, out var error))
                {
                    logger.LogWarning("worker: malformed line from the node: {Error}", error);
                    break;
                }

                if (message is WorkerJob job)
                {
                    gotWork = true;
                    Interlocked.Increment(ref jobs);
                    Interlocked.Exchange(ref currentJob, job.Job);
                    logger.LogDebug("worker: job {Job}, height {Height}, difficulty {Difficulty}, counters {Start:x12}+{Count:x}", job.Job, job.Template.Height, job.Difficulty, job.Start, job.Count);
                    runner.Run(new MiningJob(job.Job, job.Template, job.Difficulty), job.Start, job.Start + job.Count);
                }
                else if (message is WorkerCancel cancel && Interlocked.CompareExchange(ref currentJob, 0, cancel.Job) == cancel.Job)
                {
                    runner.Stop();
                }
                else if (message is WorkerBye bye)
                {
                    logger.LogWarning("worker: the node closed the connection: {Reason}", bye.Reason);
                    break;
                }
                else if (message is not WorkerCancel)
                {
                    logger.LogWarning("worker: unexpected \"{Type}\" line from the node", message!.Type);
                    break;
                }
            }
        }
        finally
        {
            runner.Found -= OnFound;
            runner.Stop();
            await session.CancelAsync().ConfigureAwait(false);
            try
            {
                await stats.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }

        return gotWork;
    }

    private async Task StatsLoopAsync(Connection connection, CancellationToken token)
    {
        using var timer = new PeriodicTimer(options.StatsInterval, options.Time);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            await connection.SendAsync(new WorkerStats(miner.AttemptsPerSecond)).ConfigureAwait(false);
        }
    }

    /// <summary>A stream that several tasks write whole lines to, one at a time.</summary>
    private sealed class Connection(NetworkStream stream, CancellationToken token)
    {
        private readonly SemaphoreSlim writing = new(1, 1);

        public NetworkStream Stream => stream;

        public async Task SendAsync(WorkerMessage message)
        {
            var line = WorkerLine.Encode(message);
            try
            {
                await writing.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await stream.WriteAsync(line, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The session is ending; the reader notices and reconnects.
            }
            finally
            {
                writing.Release();
            }
        }
    }
}
