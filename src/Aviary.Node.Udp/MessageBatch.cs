using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aviary.Node.Udp;

/// <summary>
/// Native memory for one recvmmsg(2)/sendmmsg(2) batch on 64-bit Linux — <see cref="Count"/>
/// message headers, their buffer descriptors, an address slot each and one data buffer — and the
/// two calls over it. Shared by the host's <see cref="SocketReader"/> and <see cref="SocketWriter"/>
/// (and the sync benchmark's batched anchor). Freed once, by <see cref="Dispose"/>.
/// </summary>
internal sealed unsafe partial class MessageBatch : IDisposable
{
    /// <summary>Bytes of one address slot (a sockaddr_in6 needs 28).</summary>
    public const int AddressBytes = 128;

    public MessageBatch(int count, nuint dataBytes)
    {
        Count = count;
        Messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(MMsgHdr) * count));
        Vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(IoVec) * count));
        Names = (byte*)NativeMemory.AllocZeroed((nuint)(AddressBytes * count));
        Data = (byte*)NativeMemory.Alloc(dataBytes);
    }

    public int Count { get; }

    public MMsgHdr* Messages { get; private set; }

    public byte* Data { get; private set; }

    private IoVec* Vectors { get; set; }

    private byte* Names { get; set; }

    /// <summary>Entry <paramref name="i"/>'s address slot.</summary>
    public byte* Name(int i) => Names + (i * AddressBytes);

    /// <summary>Points entry <paramref name="i"/> at <paramref name="length"/> bytes at <paramref name="data"/> and at its address slot, holding <paramref name="nameLength"/> bytes.</summary>
    public void Point(int i, byte* data, nuint length, uint nameLength)
    {
        Vectors[i] = new IoVec { Base = data, Length = length };
        Messages[i] = new MMsgHdr { Header = new MsgHdr { Name = Name(i), NameLength = nameLength, Iov = Vectors + i, IovLength = 1 } };
    }

    /// <summary>Entry <paramref name="i"/>'s datagram: what recvmmsg put there, or what it points at to send.</summary>
    public ReadOnlySpan<byte> Datagram(int i, bool received) =>
        new(Messages[i].Header.Iov->Base, received ? (int)Messages[i].Length : (int)Messages[i].Header.Iov->Length);

    /// <summary>One recvmmsg into entries 0..<see cref="Count"/>: how many came (-1 with errno), or null once the socket is closed.</summary>
    public (int Count, int Error)? Receive(Socket socket, int flags) => Call(socket, &ReceiveCall, flags, 0);

    /// <summary>One sendmmsg of entries <paramref name="first"/>..<paramref name="end"/>: how many went (-1 with errno), or null once the socket is closed.</summary>
    public (int Count, int Error)? Send(Socket socket, int first, int end) => Call(socket, &SendCall, first, end);

    public void Dispose()
    {
        NativeMemory.Free(Messages);
        NativeMemory.Free(Vectors);
        NativeMemory.Free(Names);
        NativeMemory.Free(Data);
        Messages = null;
        Vectors = null;
        Names = null;
        Data = null;
    }

    private static int ReceiveCall(MessageBatch batch, int descriptor, int flags, int unused) =>
        RecvMMsg(descriptor, batch.Messages, (uint)batch.Count, flags, null);

    private static int SendCall(MessageBatch batch, int descriptor, int first, int end) =>
        SendMMsg(descriptor, batch.Messages + first, (uint)(end - first), 0);

    /// <summary>Runs <paramref name="call"/> on the socket's descriptor, held open meanwhile.</summary>
    private (int Count, int Error)? Call(Socket socket, delegate*<MessageBatch, int, int, int, int> call, int a, int b)
    {
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var n = call(this, (int)handle.DangerousGetHandle(), a, b);
            return (n, n < 0 ? Marshal.GetLastPInvokeError() : 0);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMMsg(int socket, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMMsg(int socket, MMsgHdr* messages, uint count, int flags);
}
