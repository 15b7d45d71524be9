using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aviary.Node.Udp;

/// <summary>
/// Moves waiting datagrams from the host's socket into its inbox, up to <see cref="Batch"/> per call.
/// On 64-bit Linux one recvmmsg(2) call takes the whole batch (about half the cost per datagram of
/// one ReceiveFrom each, measured on this kind of machine), added under one lock; elsewhere, or if
/// the kernel refuses it, ReceiveFrom one at a time.
/// </summary>
internal sealed unsafe partial class SocketReader : IDisposable
{
    /// <summary>Datagrams per call. Each has a 64 KiB buffer (2 MiB of address space, touched only as far as datagrams reach).</summary>
    public const int Batch = 32;

    private const int MsgDontWait = 0x40;
    private const int AddressBytes = 128;

    /// <summary>errno values after which recvmmsg will not work on this socket: not a socket, bad arguments, not allowed (seccomp), not implemented.</summary>
    private static readonly int[] Unusable = [1 /* EPERM */, 9 /* EBADF */, 14 /* EFAULT */, 22 /* EINVAL */, 38 /* ENOSYS */, 88 /* ENOTSOCK */];

    private readonly Socket socket;
    private readonly SocketAddress from;
    private MMsgHdr* messages;
    private IoVec* vectors;
    private byte* names;
    private byte* buffers;
    private byte[]? buffer;

    /// <summary>A reader of <paramref name="socket"/>; <paramref name="batched"/> false forces one ReceiveFrom per datagram (tests).</summary>
    public SocketReader(Socket socket, bool batched = true)
    {
        this.socket = socket;
        from = new SocketAddress(socket.AddressFamily);
        if (batched && CanBatch)
        {
            messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(MMsgHdr) * Batch));
            vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(IoVec) * Batch));
            names = (byte*)NativeMemory.AllocZeroed(AddressBytes * Batch);
            buffers = (byte*)NativeMemory.Alloc((nuint)FairQueue.LargeSlotBytes * Batch);
        }
    }

    /// <summary>True on 64-bit Linux, where the mmsghdr layout below is the kernel's.</summary>
    public static bool CanBatch => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Moves up to <see cref="Batch"/> waiting datagrams into <paramref name="inbox"/> without
    /// blocking. Returns how many (0 when none waits, or on a passing error), or -1 once the socket
    /// is closed.
    /// </summary>
    public int Receive(Inbox inbox)
    {
        if (messages != null)
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

    public void Dispose()
    {
        NativeMemory.Free(messages);
        NativeMemory.Free(vectors);
        NativeMemory.Free(names);
        NativeMemory.Free(buffers);
        messages = null;
        vectors = null;
        names = null;
        buffers = null;
    }

    /// <summary>One recvmmsg call; <see cref="int.MinValue"/> when it cannot be used here.</summary>
    private int ReceiveBatch(Inbox inbox)
    {
        for (var i = 0; i < Batch; i++)
        {
            vectors[i] = new IoVec { Base = buffers + ((nint)i * FairQueue.LargeSlotBytes), Length = FairQueue.LargeSlotBytes };
            messages[i] = new MMsgHdr { Header = new MsgHdr { Name = names + (i * AddressBytes), NameLength = AddressBytes, Iov = vectors + i, IovLength = 1 } };
        }

        var handle = socket.SafeHandle;
        var added = false;
        int n;
        int error;
        try
        {
            handle.DangerousAddRef(ref added);
            n = RecvMMsg((int)handle.DangerousGetHandle(), messages, Batch, MsgDontWait, null);
            error = Marshal.GetLastPInvokeError();
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        if (n < 0)
        {
            // Anything else (nothing waiting, a signal, an ICMP error for an earlier send) is not
            // ours to handle.
            return Unusable.Contains(error) ? int.MinValue : 0;
        }

        using var adding = inbox.BeginAdd();
        for (var i = 0; i < n; i++)
        {
            var size = (int)messages[i].Header.NameLength;
            if (size < 4 || size > from.Buffer.Length)
            {
                continue;
            }

            from.Size = size;
            new ReadOnlySpan<byte>(messages[i].Header.Name, size).CopyTo(from.Buffer.Span);
            adding.Add(from, new ReadOnlySpan<byte>(messages[i].Header.Iov->Base, (int)messages[i].Length));
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

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMMsg(int socket, MMsgHdr* messages, uint count, int flags, void* timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
