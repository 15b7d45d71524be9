using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

using Aviary.Node.Core;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Udp;

/// <summary>
/// The thin host around a <see cref="NodeCore"/>: one UDP socket, the core thread that runs due
/// timers and posted work, handles datagrams and sends what the core asks for, and a receive thread
/// that only copies datagrams into a bounded fair inbox while the core has a backlog. No allocation
/// per datagram once addresses are cached.
/// </summary>
/// <remarks>
/// Every datagram passes through the <see cref="FairQueue"/>, which serves sources in turn. While the
/// core keeps up it reads the socket itself, as a one-thread host would; once a backlog builds, the
/// receive thread drains the kernel's socket buffer as fast as datagrams arrive, so a flood
/// overflows the fair queue, which drops from the busiest source's backlog, rather than the kernel
/// buffer, which drops whatever arrives next, an honest peer's request as likely as the flood's.
/// <see cref="InboxDropped"/> and <see cref="KernelDrops"/> count both.
/// </remarks>
public sealed class UdpHost : ITransport, IDisposable
{
    /// <summary>Longest the core sleeps when idle, so posted work is picked up promptly; datagrams wake it sooner.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How often the receive thread, while active, drains the socket. The kernel buffer holds over
    /// 30 ms of the fastest flood this machine sends, so nothing is lost there, and the thread wakes
    /// at most a thousand times a second instead of once per datagram.
    /// </summary>
    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>How often the idle receive thread looks whether the core is stuck in one turn (and whether the host is stopping).</summary>
    private static readonly TimeSpan StallCheck = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Most datagrams the core moves from the socket into the inbox per turn, when it reads the socket
    /// itself. Above anything our own requests bring back at once (a download keeps at most 4 × 256 in
    /// flight), so only a flood or a stall reaches it; then the receive thread takes over.
    /// </summary>
    private const int CoreDrainLimit = FairQueue.Capacity / 2;

    /// <summary>Datagrams handled per turn before timers and posted work get a turn (bounds the time timers wait under a flood).</summary>
    private const int ReceiveBatch = 512;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly AddressBook addresses;
    private readonly LocalRoutes routes;
    private readonly ConcurrentQueue<Action> posted = new();
    private readonly Inbox inbox = new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
    private readonly byte[] coreBuffer = new byte[FairQueue.LargeSlotBytes];
    private readonly Func<bool> hasPosted;
    private SocketWriter? writer;
    private int coreThread;
    private volatile bool stopping;
    private volatile bool coreWaiting;
    private long coreTurns;

    public UdpHost(IPEndPoint bind, ILogger logger)
    {
        this.logger = logger;
        socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 8 * 1024 * 1024,
            SendBufferSize = 8 * 1024 * 1024,
        };
        socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        addresses = new AddressBook(bind.AddressFamily, Post, logger);
        routes = new LocalRoutes(bind.Address, addresses);
        hasPosted = () => !posted.IsEmpty;
    }

    /// <summary>Where the socket is bound (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// True: <see cref="LocalHostFor"/> names to each peer the local address our datagrams to it leave
    /// from (see <see cref="LocalRoutes"/>). False (the default, and what <c>--host</c> asks for):
    /// null, so the core names its one configured host to every peer.
    /// </summary>
    public bool NamesLocalHost { get; init; }

    /// <summary>Datagrams dropped because their destination could not be resolved (yet).</summary>
    public long Unresolved => addresses.Unresolved;

    /// <summary>Host names not looked up because too many lookups were pending (a flood of made-up names).</summary>
    public long LookupsRefused => addresses.LookupsRefused;

    /// <summary>
    /// Datagrams the kernel dropped for this socket because its receive buffer was full (Linux:
    /// the <c>drops</c> column of /proc/net/udp and udp6); null where that is not available.
    /// </summary>
    public long? KernelDrops => SocketDrops.Read(LocalEndPoint);

    /// <summary>Datagrams received but dropped from the inbox because the core fell behind (thread-safe).</summary>
    public long InboxDropped => inbox.Dropped;

    /// <summary>Runs <paramref name="work"/> on the core thread (thread-safe; for miners, web, operators).</summary>
    public void Post(Action work)
    {
        posted.Enqueue(work);
        inbox.Wake();
    }

    /// <summary>
    /// Runs the core thread and the receive thread until <paramref name="stop"/> is cancelled.
    /// </summary>
    public Task RunAsync(NodeCore node, CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = new Thread(Receive)
        {
            IsBackground = true,
            Name = "aviary-receive",
        };
        var thread = new Thread(() =>
        {
            try
            {
                receiver.Start();
                try
                {
                    Loop(node, stop);
                }
                finally
                {
                    StopReceiving(receiver);
                }

                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "aviary-core",
        };
        thread.Start();
        return done.Task;
    }

    public void Send(PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        if (addresses.Resolve(to) is not { } target)
        {
            return;
        }

        if (writer is { } gathering && Environment.CurrentManagedThreadId == coreThread)
        {
            // The core's own sends go out together at the end of its turn.
            gathering.Add(to, target, datagram);
            return;
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, target);
        }
        catch (SocketException e)
        {
            logger.LogDebug("send to {To} failed: {Error}", to, e.SocketErrorCode);
        }
    }

    public string? LocalHostFor(PeerAddress to) => NamesLocalHost ? routes.For(to) : null;

    public void Dispose() => socket.Dispose();

    /// <summary>
    /// The receive thread: socket to inbox, nothing else, and only while the core has a backlog (see
    /// <see cref="Inbox"/>) or is stuck in one long turn.
    /// </summary>
    private void Receive()
    {
        using var reader = new SocketReader(socket);
        var turnSeen = -1L;
        while (!stopping)
        {
            if (!inbox.AwaitActivation(StallCheck))
            {
                // Not asked, but a core stuck in one turn (a long piece of work) is not reading the
                // socket either: take over, so a flood arriving meanwhile still meets the fair queue.
                var turn = Volatile.Read(ref coreTurns);
                if (turn != turnSeen || coreWaiting)
                {
                    turnSeen = turn;
                    continue;
                }

                inbox.Activate();
            }

            while (inbox.BeginDrain())
            {
                var n = reader.Receive(inbox);
                inbox.EndDrain();
                if (n < 0)
                {
                    return;
                }

                if (n < SocketReader.Batch)
                {
                    break;
                }
            }

            inbox.Pause(DrainInterval);
        }
    }

    private void StopReceiving(Thread receiver)
    {
        stopping = true;
        inbox.Release();
        receiver.Join();
    }

    private void Loop(NodeCore node, CancellationToken stop)
    {
        using var reader = new SocketReader(socket);
        using var sender = new SocketWriter(socket, logger);
        coreThread = Environment.CurrentManagedThreadId;
        writer = sender;
        try
        {
            Turns(node, reader, sender, stop);
        }
        finally
        {
            while (posted.TryDequeue(out var work))
            {
                work();
            }

            sender.Flush();
            writer = null;
        }
    }

    /// <summary>
    /// The core's turns: posted work, due timers, then the datagrams that wait (reading the socket
    /// itself while it keeps up), with what each step sent handed to the kernel before it sleeps.
    /// </summary>
    private void Turns(NodeCore node, SocketReader reader, SocketWriter sender, CancellationToken stop)
    {
        var from = new SocketAddress(socket.AddressFamily);
        node.Start();
        while (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref coreTurns);
            while (posted.TryDequeue(out var work))
            {
                work();
            }

            node.RunDue();
            sender.Flush();
            var ownsSocket = !inbox.ReceiverActive;
            if (ownsSocket && Drain(reader, node) >= CoreDrainLimit)
            {
                // More was waiting than a turn's worth: the core is falling behind, so the receive
                // thread drains the socket while it works.
                inbox.Activate();
            }

            var handled = 0;
            while (handled < ReceiveBatch && inbox.TryTake(coreBuffer, from, out var n))
            {
                node.OnDatagram(addresses.From(from), coreBuffer.AsSpan(0, n));
                handled++;
            }

            sender.Flush();
            node.Counters.ReportInboxDropped(inbox.Dropped);
            if (handled == 0 && !ownsSocket)
            {
                // The receive thread had the socket and we caught up: take it back, or wait for the
                // receive thread to finish its drain.
                coreWaiting = true;
                if (!inbox.TakeBack())
                {
                    inbox.Wait(WaitTime(node), hasPosted);
                }

                coreWaiting = false;
            }
        }
    }

    /// <summary>
    /// Core: moves what waits in the socket into the inbox, up to <see cref="CoreDrainLimit"/>;
    /// returns how many. With nothing left to do (no datagram in the inbox, no posted work) it
    /// first sleeps in the socket until a datagram comes or the next timer is due.
    /// </summary>
    private int Drain(SocketReader reader, NodeCore node)
    {
        var wait = inbox.IsEmpty && posted.IsEmpty ? WaitTime(node) : TimeSpan.Zero;
        coreWaiting = wait > TimeSpan.Zero;
        var n = reader.ReceiveWaiting(inbox, wait);
        coreWaiting = false;
        var total = Math.Max(n, 0);
        while (n == SocketReader.Batch && total < CoreDrainLimit)
        {
            n = reader.Receive(inbox);
            total += Math.Max(n, 0);
        }

        return total;
    }

    private static TimeSpan WaitTime(NodeCore node)
    {
        var wait = node.Events.NextDue is { } due ? due - node.Events.Now : MaxWait;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
    }
}
