using System.Net.Sockets;
using System.Threading.Channels;

namespace Aviary.Mining.Remote;

/// <summary>
/// One worker connection on the node: a reader of bounded lines and a writer fed by a bounded queue,
/// so the node's core thread only ever enqueues and never waits for a slow worker.
/// </summary>
internal sealed class WorkerSession
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly Channel<byte[]> outbound;
    private readonly CancellationTokenSource readStop = new();
    private readonly CancellationTokenSource writeStop = new();
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private long lastHeard;
    private int closed;
    private bool disposed;

    public WorkerSession(Socket socket, int slot, int maxQueuedLines, TimeProvider time)
    {
        this.socket = socket;
        this.time = time;
        stream = new NetworkStream(socket, ownsSocket: false);
        outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(maxQueuedLines) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Slot = slot;
        Address = socket.RemoteEndPoint?.ToString() ?? "unknown";
        ConnectedAt = time.GetUtcNow();
        lastHeard = time.GetTimestamp();
    }

    public int Slot { get; }

    public string Address { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Set once the worker said hello (read and written on the session's reader only, then read anywhere).</summary>
    public WorkerHello? Hello { get; set; }

    public double AttemptsPerSecond { get; set; }

    public long Solutions { get; set; }

    public bool IsClosed => Volatile.Read(ref closed) != 0;

    public string Label => Hello is { } h ? $"{h.Name} ({Address})" : Address;

    public TimeSpan Silence => time.GetElapsedTime(Interlocked.Read(ref lastHeard));

    public RemoteWorkerStatus Status() => new(Slot, Address, Hello?.Name, Hello?.Tier, Hello?.Threads ?? 0, AttemptsPerSecond, Solutions, ConnectedAt);

    /// <summary>Queues a line for the worker; false when its queue is full (it is not reading) or the session is closing.</summary>
    public bool Enqueue(byte[] line) => outbound.Writer.TryWrite(line);

    /// <summary>Ends the session once: says why (when <paramref name="bye"/> is given and there is room), then closes.</summary>
    public void Close(string? bye)
    {
        lock (gate)
        {
            if (Interlocked.Exchange(ref closed, 1) != 0 || disposed)
            {
                return;
            }

            if (bye is not null)
            {
                outbound.Writer.TryWrite(WorkerLine.Encode(new WorkerBye(bye)));
            }

            outbound.Writer.TryComplete();
            readStop.Cancel();

            // The writer drains what is queued (at most the bye) unless the worker stops reading for good.
            writeStop.CancelAfter(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Reads lines into <paramref name="handle"/> until it returns false or the connection ends; then cleans up.</summary>
    public async Task RunAsync(Func<WorkerSession, LineStatus, ReadOnlyMemory<byte>, bool> handle)
    {
        var writer = WriteLoopAsync();
        var reader = new LineReader(stream, WorkerLine.MaxWorkerLine);
        try
        {
            while (!IsClosed)
            {
                var (status, line) = await reader.ReadAsync(readStop.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref lastHeard, time.GetTimestamp());
                if (!handle(this, status, line) || status != LineStatus.Line)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }

        Close(null);
        await writer.ConfigureAwait(false);
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        socket.Dispose();
        lock (gate)
        {
            disposed = true;
            readStop.Dispose();
            writeStop.Dispose();
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var line in outbound.Reader.ReadAllAsync(writeStop.Token).ConfigureAwait(false))
            {
                await stream.WriteAsync(line, writeStop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Close(null);
        }
    }
}
