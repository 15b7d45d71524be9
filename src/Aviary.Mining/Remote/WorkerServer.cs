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
public sealed partial class WorkerServer : IAsyncDisposable
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
}
