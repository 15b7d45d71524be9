using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

using Aviary.Node.Udp;

namespace Aviary.Bench;

/// <summary>
/// The batched raw anchor's reads: one recvmmsg(2) call (the host's <see cref="MessageBatch"/>) takes
/// up to <see cref="Batch"/> datagrams into native buffers, sleeping (under a 100 ms receive timeout)
/// until the first comes. Nothing is copied or decoded: the caller looks at each datagram where it lies.
/// </summary>
internal sealed unsafe class RawBatchReceiver : IDisposable
{
    public const int Batch = 32;
    private const int SlotBytes = 2048;
    private const int MsgWaitForOne = 0x10000;

    private readonly Socket socket;
    private readonly MessageBatch batch = new(Batch, SlotBytes * Batch);

    public RawBatchReceiver(Socket socket)
    {
        this.socket = socket;
        Span<long> timeval = [0, 100_000];
        socket.SetRawSocketOption(1 /* SOL_SOCKET */, 20 /* SO_RCVTIMEO */, MemoryMarshal.AsBytes(timeval));
    }

    /// <summary>Datagrams read (0 after 100 ms with none), or -1 once the socket is closed.</summary>
    public int Receive()
    {
        for (var i = 0; i < Batch; i++)
        {
            batch.Point(i, batch.Data + (i * SlotBytes), SlotBytes, MessageBatch.AddressBytes);
        }

        if (batch.Receive(socket, MsgWaitForOne) is not { } result)
        {
            return -1;
        }

        var (n, error) = result;
        return n >= 0 ? n : error == 9 /* EBADF */ ? -1 : 0;
    }

    /// <summary>Datagram <paramref name="i"/> of the last <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Data(int i) => batch.Datagram(i, received: true);

    /// <summary>Copies datagram <paramref name="i"/>'s source into <paramref name="into"/>.</summary>
    public void Source(int i, SocketAddress into)
    {
        into.Size = (int)batch.Messages[i].Header.NameLength;
        new ReadOnlySpan<byte>(batch.Name(i), into.Size).CopyTo(into.Buffer.Span);
    }

    public void Dispose() => batch.Dispose();
}
