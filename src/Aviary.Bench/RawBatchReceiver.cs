using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

using Aviary.Node.Udp;

namespace Aviary.Bench;

/// <summary>
/// The batched raw anchor's reads: one recvmmsg(2) call takes up to <see cref="Batch"/> datagrams into
/// native buffers, sleeping (under a 100 ms receive timeout) until the first comes. Nothing is
/// copied or decoded: the caller looks at each datagram where it lies.
/// </summary>
internal sealed unsafe partial class RawBatchReceiver : IDisposable
{
    public const int Batch = 32;
    private const int SlotBytes = 2048;
    private const int AddressBytes = 128;
    private const int MsgWaitForOne = 0x10000;

    private readonly Socket socket;
    private readonly MMsgHdr* messages;
    private readonly IoVec* vectors;
    private readonly byte* names;
    private readonly byte* buffers;

    public RawBatchReceiver(Socket socket)
    {
        this.socket = socket;
        Span<long> timeval = [0, 100_000];
        socket.SetRawSocketOption(1 /* SOL_SOCKET */, 20 /* SO_RCVTIMEO */, MemoryMarshal.AsBytes(timeval));
        messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(MMsgHdr) * Batch));
        vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(IoVec) * Batch));
        names = (byte*)NativeMemory.AllocZeroed(AddressBytes * Batch);
        buffers = (byte*)NativeMemory.Alloc(SlotBytes * Batch);
    }

    /// <summary>Datagrams read (0 after 100 ms with none), or -1 once the socket is closed.</summary>
    public int Receive()
    {
        for (var i = 0; i < Batch; i++)
        {
            vectors[i] = new IoVec { Base = buffers + (i * SlotBytes), Length = SlotBytes };
            messages[i] = new MMsgHdr { Header = new MsgHdr { Name = names + (i * AddressBytes), NameLength = AddressBytes, Iov = vectors + i, IovLength = 1 } };
        }

        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var n = RecvMMsg((int)handle.DangerousGetHandle(), messages, Batch, MsgWaitForOne, null);
            return n < 0 ? (Marshal.GetLastPInvokeError() == 9 /* EBADF */ ? -1 : 0) : n;
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
    }

    /// <summary>Datagram <paramref name="i"/> of the last <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Data(int i) => new(messages[i].Header.Iov->Base, (int)messages[i].Length);

    /// <summary>Copies datagram <paramref name="i"/>'s source into <paramref name="into"/>.</summary>
    public void Source(int i, SocketAddress into)
    {
        into.Size = (int)messages[i].Header.NameLength;
        new ReadOnlySpan<byte>(messages[i].Header.Name, into.Size).CopyTo(into.Buffer.Span);
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
}
