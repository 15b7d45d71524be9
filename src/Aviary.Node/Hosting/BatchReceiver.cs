using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aviary.Node.Hosting;

/// <summary>
/// The receive loop on Linux: recvmmsg(2) takes up to <see cref="Batch"/> waiting datagrams per
/// system call (about half the cost per datagram of one ReceiveFrom each, measured on this kind of
/// machine), and they go into the inbox under one lock. Blocks until at least one arrives, or the
/// socket's receive timeout passes.
/// </summary>
internal sealed unsafe partial class BatchReceiver : IDisposable
{
    /// <summary>Datagrams per call. Each has a 64 KiB buffer (2 MiB of address space, touched only as far as datagrams reach).</summary>
    public const int Batch = 32;

    private const int MsgDontWait = 0x40;
    private const int MsgWaitForOne = 0x10000;
    private const int AddressBytes = 128;

    /// <summary>errno values after which recvmmsg will not work on this socket: not a socket, bad arguments, not allowed (seccomp), not implemented.</summary>
    private static readonly int[] Unusable = [1 /* EPERM */, 9 /* EBADF */, 14 /* EFAULT */, 22 /* EINVAL */, 38 /* ENOSYS */, 88 /* ENOTSOCK */];

    private readonly Socket socket;
    private readonly MMsgHdr* messages;
    private readonly IoVec* vectors;
    private readonly byte* names;
    private readonly byte* buffers;
    private readonly SocketAddress from;

    public BatchReceiver(Socket socket)
    {
        this.socket = socket;
        messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(MMsgHdr) * Batch));
        vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(IoVec) * Batch));
        names = (byte*)NativeMemory.AllocZeroed(AddressBytes * Batch);
        buffers = (byte*)NativeMemory.Alloc((nuint)FairQueue.LargeSlotBytes * Batch);
        from = new SocketAddress(socket.AddressFamily);
    }

    /// <summary>64-bit Linux, where the mmsghdr layout below is the kernel's.</summary>
    public static bool Supported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Moves up to <see cref="Batch"/> waiting datagrams into <paramref name="inbox"/>; when
    /// <paramref name="wait"/>, first blocks until one arrives or the socket's receive timeout
    /// passes. Returns how many (0 on a timeout or a passing error), or -1 when recvmmsg cannot be
    /// used here or the socket is closed.
    /// </summary>
    public int Receive(Inbox inbox, bool wait)
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
            n = RecvMMsg((int)handle.DangerousGetHandle(), messages, Batch, wait ? MsgWaitForOne : MsgDontWait, null);
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
            // Anything else (nothing waiting, the receive timeout, a signal, an ICMP error for an
            // earlier send) is not ours to handle.
            return Unusable.Contains(error) ? -1 : 0;
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

    public void Dispose()
    {
        NativeMemory.Free(messages);
        NativeMemory.Free(vectors);
        NativeMemory.Free(names);
        NativeMemory.Free(buffers);
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
