using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

using Aviary.Node.Core;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Hosting;

/// <summary>
/// The thin host around a <see cref="NodeCore"/>: one UDP socket, a receive thread that only copies
/// datagrams into a bounded fair inbox, and the core thread that takes them from it, runs due timers
/// and posted work, and sends what the core asks for. No allocation per datagram once addresses are
/// cached.
/// </summary>
/// <remarks>
/// The receive thread drains the kernel's socket buffer as fast as datagrams arrive, so a flood
/// overflows the <see cref="FairQueue"/>, which drops from the busiest source's backlog and serves
/// sources in turn, rather than the kernel buffer, which drops whatever arrives next, an honest
/// peer's request as likely as the flood's. <see cref="InboxDropped"/> and <see cref="KernelDrops"/>
/// count both.
/// </remarks>
public sealed class UdpHost : ITransport, IDisposable
{
    /// <summary>Longest the core sleeps when idle; posted work and datagrams wake it sooner.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a receive blocks before it looks whether the host is stopping (stopping also shuts the
    /// socket's receive side, which wakes it at once on Linux).
    /// </summary>
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Datagrams handled per turn before timers and posted work get a turn (bounds the time timers wait under a flood).</summary>
    private const int ReceiveBatch = 512;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly AddressBook addresses;
    private readonly ConcurrentQueue<Action> posted = new();
    private readonly Inbox inbox = new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
    private readonly byte[] coreBuffer = new byte[FairQueue.LargeSlotBytes];
    private readonly Func<bool> hasPosted;
    private volatile bool stopping;

    public UdpHost(IPEndPoint bind, ILogger logger)
    {
        this.logger = logger;
        socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = 8 * 1024 * 1024,
            SendBufferSize = 8 * 1024 * 1024,
        };
        socket.Bind(bind);
        socket.ReceiveTimeout = (int)ReceiveTimeout.TotalMilliseconds;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        addresses = new AddressBook(bind.AddressFamily, Post, logger);
        hasPosted = () => !posted.IsEmpty;
    }

    /// <summary>Where the socket is bound (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

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
    /// Runs the receive thread and the core thread until <paramref name="stop"/> is cancelled. Once:
    /// stopping shuts the socket's receive side.
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

        try
        {
            socket.SendTo(datagram, SocketFlags.None, target);
        }
        catch (SocketException e)
        {
            logger.LogDebug("send to {To} failed: {Error}", to, e.SocketErrorCode);
        }
    }

    public void Dispose() => socket.Dispose();

    /// <summary>
    /// The receive thread: socket to inbox, nothing else. On Linux recvmmsg takes every waiting
    /// datagram (up to a batch) per system call; elsewhere, or if it is refused, one ReceiveFrom each.
    /// </summary>
    private void Receive()
    {
        if (BatchReceiver.Supported)
        {
            using var batches = new BatchReceiver(socket);
            while (!stopping)
            {
                if (batches.Receive(inbox, wait: true) < 0)
                {
                    break;
                }
            }

            if (stopping)
            {
                return;
            }
        }

        var buffer = new byte[FairQueue.LargeSlotBytes];
        var from = new SocketAddress(socket.AddressFamily);
        while (!stopping)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                // A receive timeout (time to look at stopping), or an ICMP error for an earlier send,
                // which some systems report here: neither is ours to handle.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (!stopping)
            {
                inbox.Add(from, buffer.AsSpan(0, n));
            }
        }
    }

    private void StopReceiving(Thread receiver)
    {
        stopping = true;
        try
        {
            socket.Shutdown(SocketShutdown.Receive);
        }
        catch (SocketException)
        {
            // Linux reports ENOTCONN for an unconnected UDP socket but still wakes a blocked receive.
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: the receive has ended.
        }

        receiver.Join();
    }

    private void Loop(NodeCore node, CancellationToken stop)
    {
        var from = new SocketAddress(socket.AddressFamily);
        node.Start();
        while (!stop.IsCancellationRequested)
        {
            while (posted.TryDequeue(out var work))
            {
                work();
            }

            node.RunDue();
            var handled = 0;
            while (handled < ReceiveBatch && inbox.TryTake(coreBuffer, from, out var n))
            {
                node.OnDatagram(addresses.From(from), coreBuffer.AsSpan(0, n));
                handled++;
            }

            node.Counters.InboxDropped = inbox.Dropped;
            if (handled == 0)
            {
                inbox.Wait(WaitTime(node), hasPosted);
            }
        }

        while (posted.TryDequeue(out var work))
        {
            work();
        }
    }

    private static TimeSpan WaitTime(NodeCore node)
    {
        var wait = node.Events.NextDue is { } due ? due - node.Events.Now : MaxWait;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
    }
}
