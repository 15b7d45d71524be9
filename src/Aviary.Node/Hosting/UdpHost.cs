using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

using Aviary.Node.Core;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Hosting;

/// <summary>
/// The thin host around a <see cref="NodeCore"/>: one UDP socket, one thread that receives
/// datagrams, runs due timers and posted work, and sends what the core asks for. No lock per
/// message and no allocation per datagram on the receive path once addresses are cached.
/// </summary>
/// <remarks>
/// The kernel's socket buffer is the only receive queue: the loop takes at most
/// <see cref="ReceiveBatch"/> datagrams per turn straight into the core and holds none itself, so
/// nothing here grows with what peers send. When a flood outpaces the core, the kernel sheds what
/// no longer fits; <see cref="KernelDrops"/> reads that count.
/// </remarks>
public sealed class UdpHost : ITransport, IDisposable
{
    /// <summary>Longest the loop sleeps in one poll, so posted work is picked up promptly.</summary>
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Datagrams handled per poll before timers and posted work get a turn (bounds the time timers wait under a flood).</summary>
    private const int ReceiveBatch = 512;

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly AddressBook addresses;
    private readonly ConcurrentQueue<Action> posted = new();
    private readonly byte[] receiveBuffer = new byte[65_536];

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

    /// <summary>Runs <paramref name="work"/> on the core thread (thread-safe; for miners, web, operators).</summary>
    public void Post(Action work) => posted.Enqueue(work);

    /// <summary>Runs the loop on a dedicated thread until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(NodeCore node, CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Loop(node, stop);
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
            if (socket.Poll(PollMicroseconds(node), SelectMode.SelectRead))
            {
                // Poll, not Available: a zero-byte datagram reads as Available == 0 and would sit at the
                // head of the queue forever, leaving every later datagram unread.
                for (var i = 0; i < ReceiveBatch && (i == 0 || socket.Poll(0, SelectMode.SelectRead)); i++)
                {
                    int n;
                    try
                    {
                        n = socket.ReceiveFrom(receiveBuffer, SocketFlags.None, from);
                    }
                    catch (SocketException)
                    {
                        // An ICMP error for an earlier send surfaces here on some systems; it is not ours to handle.
                        continue;
                    }

                    node.OnDatagram(addresses.From(from), receiveBuffer.AsSpan(0, n));
                }
            }
        }

        while (posted.TryDequeue(out var work))
        {
            work();
        }
    }

    private int PollMicroseconds(NodeCore node)
    {
        if (!posted.IsEmpty)
        {
            return 0;
        }

        var wait = node.Events.NextDue is { } due ? due - node.Events.Now : MaxPoll;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxPoll ? MaxPoll : wait;
        return (int)wait.TotalMicroseconds;
    }
}
