using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Udp;

/// <summary>
/// Sends the core's datagrams: on 64-bit Linux it gathers those of one core turn and hands them to
/// the kernel with one sendmmsg(2) call (a turn that answers 20 GET_BLOCKs, or asks for 20 blocks,
/// makes one system call instead of 20), copied into a native buffer so the core's own buffers are
/// free again at once. Elsewhere, when the kernel refuses sendmmsg, or for a datagram larger than
/// the buffer, SendTo one at a time. A datagram the kernel refuses is logged and skipped; the rest
/// of the batch still goes.
/// </summary>
internal sealed unsafe class SocketWriter : IDisposable
{
    /// <summary>Most datagrams gathered before they are sent.</summary>
    public const int Batch = 64;

    /// <summary>Most bytes gathered before they are sent (a GET_BLOCK_REPLY is well under 2 KiB).</summary>
    public const int BufferBytes = 256 * 1024;

    /// <summary>errno values after which sendmmsg will not work on this socket: not a socket, bad arguments, not implemented.</summary>
    private static readonly int[] Unusable = [9 /* EBADF */, 14 /* EFAULT */, 38 /* ENOSYS */, 88 /* ENOTSOCK */];

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly PeerAddress[] destinations = new PeerAddress[Batch];
    private MessageBatch? batch;
    private int count;
    private int used;

    /// <summary>True once a sendmmsg call has sent something: from then on a refusal is the datagram's, not the call's.</summary>
    private bool proven;

    /// <summary>A writer for <paramref name="socket"/>; <paramref name="batched"/> false sends each datagram at once (tests).</summary>
    public SocketWriter(Socket socket, ILogger logger, bool batched = true)
    {
        this.socket = socket;
        this.logger = logger;
        if (batched && SocketReader.CanBatch)
        {
            batch = new MessageBatch(Batch, BufferBytes);
        }
    }

    /// <summary>Datagrams gathered and not sent yet.</summary>
    public int Pending => count;

    /// <summary>sendmmsg calls made so far (each sends one or more datagrams).</summary>
    public long Calls { get; private set; }

    /// <summary>Gathers <paramref name="datagram"/> for <paramref name="target"/>, sending what is gathered first when full.</summary>
    public void Add(PeerAddress to, SocketAddress target, ReadOnlySpan<byte> datagram)
    {
        if (batch == null || datagram.Length > BufferBytes || target.Size > MessageBatch.AddressBytes)
        {
            SendNow(to, target, datagram);
            return;
        }

        if (count == Batch || used + datagram.Length > BufferBytes)
        {
            Flush();
            if (batch == null)
            {
                SendNow(to, target, datagram);
                return;
            }
        }

        var data = batch.Data + used;
        datagram.CopyTo(new Span<byte>(data, datagram.Length));
        target.Buffer.Span[..target.Size].CopyTo(new Span<byte>(batch.Name(count), MessageBatch.AddressBytes));
        batch.Point(count, data, (nuint)datagram.Length, (uint)target.Size);
        destinations[count] = to;
        count++;
        used += datagram.Length;
    }

    /// <summary>Sends everything gathered.</summary>
    public void Flush()
    {
        var done = 0;
        while (done < count)
        {
            var (n, error) = batch!.Send(socket, done, count) ?? (int.MinValue, 0);
            Calls++;
            if (n > 0)
            {
                done += n;
                proven = true;
            }
            else if (n == int.MinValue || !proven || Unusable.Contains(error))
            {
                // Closed, or no batches on this socket after all (a seccomp filter, an old
                // kernel), or not known to work yet: the rest one at a time, which fails for each
                // datagram exactly as a plain send does, and so from now on.
                for (; done < count; done++)
                {
                    SendNow(destinations[done], Name(done), batch!.Datagram(done, received: false));
                }

                Dispose();
            }
            else
            {
                // The kernel refused the first datagram left (an unreachable network, a firewall,
                // a full buffer): skip it, as a single send would have failed, and go on.
                logger.LogDebug("send to {To} failed: errno {Error}", destinations[done], error);
                done++;
            }
        }

        count = 0;
        used = 0;
    }

    public void Dispose()
    {
        batch?.Dispose();
        batch = null;
    }

    private SocketAddress Name(int i)
    {
        var name = new SocketAddress(socket.AddressFamily, (int)batch!.Messages[i].Header.NameLength);
        new ReadOnlySpan<byte>(batch.Name(i), name.Size).CopyTo(name.Buffer.Span);
        return name;
    }

    private void SendNow(PeerAddress to, SocketAddress target, ReadOnlySpan<byte> datagram)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, target);
        }
        catch (SocketException e)
        {
            logger.LogDebug("send to {To} failed: {Error}", to, e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping.
        }
    }
}
