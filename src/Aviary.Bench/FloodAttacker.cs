using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Bench;

/// <summary>
/// The hostile side of <c>aviary bench flood</c>: many sockets bound across 127.10.0.0/16 (every
/// 127.0.0.0/8 address is this machine's loopback, so each socket is a distinct "spoofed" source and
/// nothing leaves the machine), sending one mix at a time, paced to a rate or as fast as it can. Mixes
/// with forged sources go through a raw socket when one can be opened; otherwise a new socket per
/// datagram stands in for a new source port (a mix that needs an exact forged address is skipped).
/// </summary>
internal sealed class FloodAttacker : IDisposable
{
    /// <summary>Distinct source sockets the flood rotates through.</summary>
    private const int Sources = 256;

    private readonly List<(Socket Socket, string Host, int Port)> sockets = [];
    private readonly RawUdpSender? raw;

    public FloodAttacker()
    {
        for (var i = 0; i < Sources; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.10.{i / 250}.{(i % 250) + 1}"), 0));
            var bound = (IPEndPoint)socket.LocalEndPoint!;
            sockets.Add((socket, bound.Address.ToString(), bound.Port));
        }

        raw = RawUdpSender.TryOpen(out var reason);
        RawUnavailable = raw is null ? reason : null;
    }

    /// <summary>Why forged sources are not possible here, or null when they are.</summary>
    public string? RawUnavailable { get; }

    public long Datagrams { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>How <paramref name="mix"/> will be sent here, or null when it cannot be.</summary>
    public string? Method(FloodMix mix) => mix.Forge is null ? "own sockets" : raw is not null ? "raw socket, forged source" : mix.NeedsRaw ? null : "a new socket per datagram";

    /// <summary>Sends <paramref name="mix"/> to <paramref name="target"/> for <paramref name="duration"/>; rate 0 means as fast as possible.</summary>
    public (long Datagrams, long Bytes) Run(FloodMix mix, IPEndPoint target, TimeSpan duration, double rate, CancellationToken stop)
    {
        if (!IPAddress.IsLoopback(target.Address))
        {
            throw new InvalidOperationException($"the flood goes to loopback only, not {target}");
        }

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
            if (!Send(mix, context, n, socket, target, address))
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

    public void Dispose()
    {
        sockets.ForEach(s => s.Socket.Dispose());
        raw?.Dispose();
    }

    private bool Send(FloodMix mix, FloodMix.Context context, int n, Socket own, IPEndPoint target, SocketAddress address)
    {
        var payload = context.Buffer.AsSpan(0, n);
        try
        {
            if (mix.Forge is not { } forge)
            {
                own.SendTo(payload, SocketFlags.None, address);
                return true;
            }

            var (from, port) = forge(context.Sequence);
            if (raw is not null)
            {
                return raw.Send(from, port, target, payload);
            }

            // No raw socket: the kernel picks a new ephemeral port for each new socket.
            using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var octets = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(octets, from);
            fresh.Bind(new IPEndPoint(new IPAddress(octets), 0));
            fresh.SendTo(payload, SocketFlags.None, address);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
