using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Cli;

/// <summary>
/// The hostile side of <c>aviary bench flood</c>: many sockets bound across 127.10.0.0/16 (every
/// 127.0.0.0/8 address is this machine's loopback, so each socket is a distinct "spoofed" source and
/// nothing leaves the machine), sending one mix at a time, paced to a rate or as fast as it can.
/// </summary>
internal sealed class FloodAttacker : IDisposable
{
    /// <summary>Distinct source sockets the flood rotates through.</summary>
    private const int Sources = 256;

    private readonly List<(Socket Socket, string Host, int Port)> sockets = [];

    public FloodAttacker()
    {
        for (var i = 0; i < Sources; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.10.{i / 250}.{(i % 250) + 1}"), 0));
            var bound = (IPEndPoint)socket.LocalEndPoint!;
            sockets.Add((socket, bound.Address.ToString(), bound.Port));
        }
    }

    public long Datagrams { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Sends <paramref name="mix"/> to <paramref name="target"/> for <paramref name="duration"/>; rate 0 means as fast as possible.</summary>
    public (long Datagrams, long Bytes) Run(FloodMix mix, IPEndPoint target, TimeSpan duration, double rate, CancellationToken stop)
    {
        var context = new FloodMix.Context();
        var address = target.Serialize();
        long datagrams = 0;
        long bytes = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration && !stop.IsCancellationRequested)
        {
            if (rate > 0 && datagrams >= rate * watch.Elapsed.TotalSeconds)
            {
                Thread.Sleep(1);
                continue;
            }

            var (socket, host, port) = sockets[(int)(datagrams % sockets.Count)];
            context.Sequence = (int)(Datagrams + datagrams);
            context.SourceHost = host;
            context.SourcePort = port;
            var n = mix.Write(context);
            try
            {
                socket.SendTo(context.Buffer.AsSpan(0, n), SocketFlags.None, address);
            }
            catch (SocketException)
            {
                // A full send buffer: the datagram is lost, as UDP would lose it.
                continue;
            }

            datagrams++;
            bytes += n;
        }

        Datagrams += datagrams;
        Bytes += bytes;
        return (datagrams, bytes);
    }

    public void Dispose() => sockets.ForEach(s => s.Socket.Dispose());
}
