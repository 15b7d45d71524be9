using System.Net;
using System.Net.Sockets;

namespace Aviary.Bench;

/// <summary>A loopback socket that only counts what arrives: the third party a forged GOSSIP names, or the victim whose address forged requests carry.</summary>
internal sealed class UdpSink : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpSink(IPAddress? address = null)
    {
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public long Datagrams { get; private set; }

    public long Bytes { get; private set; }

    public void Run(CancellationToken stop)
    {
        var buffer = new byte[65_536];
        while (!stop.IsCancellationRequested)
        {
            if (socket.Poll(10_000, SelectMode.SelectRead))
            {
                Bytes += socket.Receive(buffer);
                Datagrams++;
            }
        }
    }

    public void Dispose() => socket.Dispose();
}
