using System.Net;
using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Mining.Remote;

/// <summary>
/// The node's side of the remote worker protocol: a TCP listener that hands every worker the current
/// job on its own counter slot (<see cref="CounterRanges"/>), cancels it when the node moves on, and
/// believes a solution only after <see cref="BlockValidator"/> accepts the block it makes. A worker that
/// sends a bad solution, a malformed or over-long line, or nothing for too long is dropped.
/// </summary>
public sealed class WorkerServer : IAsyncDisposable
{
    /// <summary>Jobs remembered so that a late solution is told apart from a forged one.</summary>
    public const int RecentJobs = 16;

    private readonly Socket listener;
    private readonly WorkerServerOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly WorkerSession?[] slots;
    private readonly List<MiningJob> recent = [];
    private readonly List<Task> sessionTasks = [];
    private readonly CancellationTokenSource stop = new();
    private readonly ITimer sweep;
    private readonly Task accepting;
    private MiningJob? current;
    private long highestJob;
    private long dropped;
    private long stale;
    private long solutions;

    private WorkerServer(Socket listener, WorkerServerOptions options, ILogger logger)
    {
        this.listener = listener;
        this.options = options;
        this.logger = logger;
        slots = new WorkerSession?[options.MaxWorkers];
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        var period = (options.HelloTimeout < options.IdleTimeout ? options.HelloTimeout : options.IdleTimeout) / 4;
        sweep = options.Time.CreateTimer(_ => DropSilent(), null, period, period);
        accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Raised (on a connection's task) for a valid solution of the current job.</summary>
    public event Action<MiningJob, Block>? Found;

    /// <summary>Raised when a worker is dropped or refused, with its label and the reason.</summary>
    public event Action<string, string>? Dropped;

    /// <summary>Where the listener is bound (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Workers dropped for misbehaving or silence, and connections refused when full.</summary>
    public long DroppedWorkers => Interlocked.Read(ref dropped);

    /// <summary>Valid solutions for a job that had already been replaced.</summary>
    public long StaleSolutions => Interlocked.Read(ref stale);

    /// <summary>Valid solutions of the current job, passed on through <see cref="Found"/>.</summary>
    public long Solutions => Interlocked.Read(ref solutions);

    /// <summary>Listens on <paramref name="bind"/> (use port 0 for any free port).</summary>
    public static WorkerServer Start(IPEndPoint bind, WorkerServerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWorkers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxWorkers, CounterRanges.MaxSlots);
        var socket = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(bind);
            socket.Listen(options.MaxWorkers);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WorkerServer(socket, options, logger);
    }

    /// <summary>Every connected worker now.</summary>
    public IReadOnlyList<RemoteWorkerStatus> Workers()
    {
        lock (gate)
        {
            return [.. slots.OfType<WorkerSession>().Select(s => s.Status())];
        }
    }

    /// <summary>
    /// Makes <paramref name="job"/> the current job (null: nothing to mine): every worker is told to
    /// cancel the previous one and given the new one on its own slot. Never blocks.
    /// </summary>
    public void Publish(MiningJob? job)
    {
        MiningJob? previous;
        List<WorkerSession> ready;
        lock (gate)
        {
            previous = current;
            if (previous?.Id == job?.Id)
            {
                return;
            }

            current = job;
            if (job is not null)
            {
                highestJob = Math.Max(highestJob, job.Id);
                recent.Add(job);
                if (recent.Count > RecentJobs)
                {
                    recent.RemoveAt(0);
                }
            }

            ready = [.. slots.OfType<WorkerSession>().Where(s => s.Hello is not null)];
        }

        foreach (var session in ready)
        {
            if (previous is not null)
            {
                Send(session, WorkerLine.Encode(new WorkerCancel(previous.Id)));
            }

            if (job is not null)
            {
                SendJob(session, job);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        await sweep.DisposeAsync().ConfigureAwait(false);
        try
        {
            await accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Task[] running;
        lock (gate)
        {
            foreach (var session in slots.OfType<WorkerSession>())
            {
                session.Close("node shutting down");
            }

            running = [.. sessionTasks];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogDebug("worker accept failed: {Error}", e.SocketErrorCode);
                continue;
            }

            socket.NoDelay = true;
            lock (gate)
            {
                var slot = Array.IndexOf(slots, null);
                if (slot >= 0)
                {
                    var session = new WorkerSession(socket, slot, options.MaxQueuedLines, options.Time);
                    slots[slot] = session;
                    sessionTasks.Add(Task.Run(() => RunSessionAsync(session)));
                    continue;
                }
            }

            Refuse(socket);
        }
    }

    private async Task RunSessionAsync(WorkerSession session)
    {
        logger.LogInformation("worker connected from {Address} (slot {Slot})", session.Address, session.Slot);
        await session.RunAsync(Handle).ConfigureAwait(false);
        lock (gate)
        {
            slots[session.Slot] = null;
            sessionTasks.RemoveAll(t => t.IsCompleted);
        }

        logger.LogInformation("worker {Worker} disconnected", session.Label);
    }

    private void Refuse(Socket socket)
    {
        Interlocked.Increment(ref dropped);
        var address = socket.RemoteEndPoint?.ToString() ?? "unknown";
        logger.LogWarning("worker connection from {Address} refused: already {Max} workers", address, options.MaxWorkers);
        Dropped?.Invoke(address, "full");
        try
        {
            // A short line into an empty socket buffer does not block; then the connection closes.
            socket.Send(WorkerLine.Encode(new WorkerBye($"full: at most {options.MaxWorkers} workers")));
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
    }

    /// <summary>Handles one read; false ends the session.</summary>
    private bool Handle(WorkerSession session, LineStatus status, ReadOnlyMemory<byte> line)
    {
        switch (status)
        {
            case LineStatus.End:
                return false;
            case LineStatus.TooLong:
                return Drop(session, $"a line over {WorkerLine.MaxWorkerLine} bytes");
        }

        if (!WorkerLine.TryDecode(line, out var message, out var error))
        {
            return Drop(session, $"malformed line: {error}");
        }

        switch (message)
        {
            case WorkerHello hello when session.Hello is null:
                session.Hello = hello;
                logger.LogInformation("worker {Worker}: {Threads} threads, tier {Tier}, counters from {Start:x12}", session.Label, hello.Threads, hello.Tier, CounterRanges.SlotStart(session.Slot));
                MiningJob? job;
                lock (gate)
                {
                    job = current;
                }

                if (job is not null)
                {
                    SendJob(session, job);
                }

                return true;
            case WorkerHello:
                return Drop(session, "a second hello");
            case not null when session.Hello is null:
                return Drop(session, "a message before hello");
            case WorkerStats stats:
                session.AttemptsPerSecond = stats.AttemptsPerSecond;
                return true;
            case WorkerSolution solution:
                return OnSolution(session, solution);
            default:
                return Drop(session, $"a \"{message?.Type}\" line, which only the node sends");
        }
    }

    private bool OnSolution(WorkerSession session, WorkerSolution solution)
    {
        MiningJob? job;
        bool isCurrent;
        long highest;
        lock (gate)
        {
            job = recent.Find(j => j.Id == solution.Job);
            isCurrent = current?.Id == solution.Job;
            highest = highestJob;
        }

        if (job is null)
        {
            if (solution.Job > highest)
            {
                return Drop(session, $"a solution for job {solution.Job}, which was never sent");
            }

            Interlocked.Increment(ref stale);
            return true;
        }

        var t = job.Template;
        var block = new Block(t.Height, t.MinedBy, solution.Nonce, t.Messages, string.Empty, t.Timestamp);
        block = block with { Hash = BlockHasher.Compute(block, t.PreviousHash) };
        var verdict = BlockValidator.Validate(block, t.PreviousHash, t.Height, job.Difficulty);
        if (!verdict.IsValid)
        {
            return Drop(session, $"a bad solution for job {job.Id}: {verdict}");
        }

        if (!isCurrent)
        {
            Interlocked.Increment(ref stale);
            return true;
        }

        session.Solutions++;
        Interlocked.Increment(ref solutions);
        logger.LogInformation("worker {Worker} solved job {Job}: block {Height} {Hash}", session.Label, job.Id, block.Height, block.Hash);
        Found?.Invoke(job, block);
        return true;
    }

    private void SendJob(WorkerSession session, MiningJob job)
    {
        var line = WorkerLine.Encode(new WorkerJob(job.Id, job.Template, job.Difficulty, CounterRanges.SlotStart(session.Slot), CounterRanges.SlotSize));
        if (line.Length > WorkerLine.MaxNodeLine + 1)
        {
            logger.LogError("job {Job} encodes to {Bytes} bytes, over the {Max}-byte line cap; not sent", job.Id, line.Length, WorkerLine.MaxNodeLine);
            return;
        }

        Send(session, line);
    }

    /// <summary>Queues a line; a worker whose queue is full is not reading and is dropped (the node never waits on it).</summary>
    private void Send(WorkerSession session, byte[] line)
    {
        if (!session.IsClosed && !session.Enqueue(line))
        {
            Drop(session, $"not reading: {options.MaxQueuedLines} lines waiting");
        }
    }

    private bool Drop(WorkerSession session, string reason)
    {
        Interlocked.Increment(ref dropped);
        logger.LogWarning("worker {Worker} dropped: {Reason}", session.Label, reason);
        Dropped?.Invoke(session.Label, reason);
        session.Close(reason);
        return false;
    }

    private void DropSilent()
    {
        List<(WorkerSession Session, TimeSpan Limit)> silent;
        lock (gate)
        {
            silent = [.. slots.OfType<WorkerSession>()
                .Select(s => (Session: s, Limit: s.Hello is null ? options.HelloTimeout : options.IdleTimeout))
                .Where(x => !x.Session.IsClosed && x.Session.Silence > x.Limit)];
        }

        foreach (var (session, limit) in silent)
        {
            Drop(session, $"silent for over {limit.TotalSeconds:0} s");
        }
    }
}
