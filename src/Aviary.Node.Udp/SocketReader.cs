using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aviary.Node.Udp;

/// <summary>
/// Moves waiting datagrams from the host's socket into its inbox, up to <see cref="Batch"/> per call.
/// On 64-bit Linux one recvmmsg(2) call takes the whole batch (about half the cost per datagram of
/// one ReceiveFrom each, measured on this kind of machine), added under one lock; elsewhere, or if
/// the kernel refuses it, ReceiveFrom one at a time. <see cref="ReceiveWaiting"/> also sleeps until
/// the first datagram comes: on Linux inside that same recvmmsg call (MSG_WAITFORONE with the
/// socket's receive timeout), so an idle host pays one system call per wake-up, not a poll(2) and
/// then a read.
/// </summary>
internal sealed unsafe partial class SocketReader : IDisposable
{
    /// <summary>Datagrams per call. Each has a 64 KiB buffer (2 MiB of address space, touched only as far as datagrams reach).</summary>
    public const int Batch = 32;

    private const int MsgDontWait = 0x40;
    private const int MsgWaitForOne = 0x10000;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
    private const int FGetFl = 3;
    private const int ONonBlock = 0x800;

    /// <summary>errno values after which recvmmsg will not work on this socket: not a socket, bad arguments, not allowed (seccomp), not implemented.</summary>
    private static readonly int[] Unusable = [1 /* EPERM */, 9 /* EBADF */, 14 /* EFAULT */, 22 /* EINVAL */, 38 /* ENOSYS */, 88 /* ENOTSOCK */];

    private readonly Socket socket;
    private readonly SocketAddress from;
    private MessageBatch? batch;
    private byte[]? buffer;

    /// <summary>The receive timeout set on the socket, in whole milliseconds (0: none set yet).</summary>
    private int timeoutMs;

    /// <summary>A reader of <paramref name="socket"/>; <paramref name="batched"/> false forces one ReceiveFrom per datagram (tests).</summary>
    public SocketReader(Socket socket, bool batched = true)
    {
        this.socket = socket;
        from = new SocketAddress(socket.AddressFamily);
        if (batched && CanBatch)
        {
            batch = new MessageBatch(Batch, (nuint)FairQueue.LargeSlotBytes * Batch);
            CanWaitInside = IsBlocking(socket);
        }
    }

    /// <summary>True on 64-bit Linux, where the mmsghdr layout below is the kernel's.</summary>
    public static bool CanBatch => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// True when <see cref="ReceiveWaiting"/> sleeps inside recvmmsg: batched, and the socket's
    /// descriptor is in blocking mode (the runtime switches it for good at the first asynchronous
    /// operation, which the host never starts). Otherwise it polls, then reads.
    /// </summary>
    public bool CanWaitInside { get; private set; }

    /// <summary>
    /// Moves up to <see cref="Batch"/> waiting datagrams into <paramref name="inbox"/> without
    /// blocking. Returns how many (0 when none waits, or on a passing error), or -1 once the socket
    /// is closed.
    /// </summary>
    public int Receive(Inbox inbox)
    {
        if (batch != null)
        {
            var n = ReceiveBatch(inbox);
            if (n != int.MinValue)
            {
                return n;
            }

            Dispose();
        }

        return ReceiveEach(inbox);
    }

    /// <summary>
    /// Like <see cref="Receive"/>, but first sleeps up to <paramref name="wait"/> (rounded up to a
    /// whole millisecond, at most <see cref="MaxWaitMs"/>) until a datagram waits. Returns 0 when
    /// none came.
    /// </summary>
    public int ReceiveWaiting(Inbox inbox, TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return Receive(inbox);
        }

        var ms = (int)Math.Min(Math.Ceiling(wait.TotalMilliseconds), MaxWaitMs);
        if (batch == null || !CanWaitInside || !SetTimeout(ms))
        {
            try
            {
                socket.Poll(ms * 1000, SelectMode.SelectRead);
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }

            return Receive(inbox);
        }

        var n = ReceiveBatch(inbox, MsgWaitForOne);
        if (n != int.MinValue)
        {
            return n;
        }

        Dispose();
        return ReceiveEach(inbox);
    }

    /// <summary>Longest single wait <see cref="ReceiveWaiting"/> takes.</summary>
    public const int MaxWaitMs = 1_000;

    public void Dispose()
    {
        batch?.Dispose();
        batch = null;
    }

    /// <summary>One recvmmsg call; <see cref="int.MinValue"/> when it cannot be used here.</summary>
    private int ReceiveBatch(Inbox inbox, int flags = MsgDontWait)
    {
        var b = batch!;
        for (var i = 0; i < Batch; i++)
        {
            b.Point(i, b.Data + ((nint)i * FairQueue.LargeSlotBytes), FairQueue.LargeSlotBytes, MessageBatch.AddressBytes);
        }

        if (b.Receive(socket, flags) is not { } result)
        {
            return -1;
        }

        var (n, error) = result;
        if (n < 0)
        {
            // Anything else (nothing waiting, a signal, an ICMP error for an earlier send) is not
            // ours to handle.
            return Unusable.Contains(error) ? int.MinValue : 0;
        }

        using var adding = inbox.BeginAdd();
        for (var i = 0; i < n; i++)
        {
            var size = (int)b.Messages[i].Header.NameLength;
            if (size < 4 || size > from.Buffer.Length)
            {
                continue;
            }

            from.Size = size;
            new ReadOnlySpan<byte>(b.Name(i), size).CopyTo(from.Buffer.Span);
            adding.Add(from, b.Datagram(i, received: true));
        }

        return n;
    }

    private int ReceiveEach(Inbox inbox)
    {
        var bytes = buffer ??= new byte[FairQueue.LargeSlotBytes];
        var n = 0;
        try
        {
            // Poll, not Available: a zero-byte datagram reads as Available == 0 and would sit at the
            // head of the queue forever, leaving every later datagram unread.
            while (n < Batch && socket.Poll(0, SelectMode.SelectRead))
            {
                var length = socket.ReceiveFrom(bytes, SocketFlags.None, from);
                inbox.Add(from, bytes.AsSpan(0, length));
                n++;
            }
        }
        catch (SocketException)
        {
            // An ICMP error for an earlier send, which some systems report here: not ours to handle.
        }
        catch (ObjectDisposedException)
        {
            return n > 0 ? n : -1;
        }

        return n;
    }

    /// <summary>Sets SO_RCVTIMEO to <paramref name="ms"/> unless it already is; false if the socket refuses.</summary>
    private bool SetTimeout(int ms)
    {
        if (ms == timeoutMs)
        {
            return true;
        }

        Span<long> timeval = [ms / 1000, ms % 1000 * 1000];
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvTimeo, MemoryMarshal.AsBytes(timeval));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }

        timeoutMs = ms;
        return true;
    }

    private static bool IsBlocking(Socket socket)
    {
        var flags = Fcntl((int)socket.SafeHandle.DangerousGetHandle(), FGetFl);
        return flags >= 0 && (flags & ONonBlock) == 0;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command);
}
