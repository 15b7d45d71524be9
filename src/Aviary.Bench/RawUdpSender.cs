using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Bench;

/// <summary>
/// Sends UDP datagrams with a source address and port of our choosing (forged), for the spoofing
/// mixes of <c>aviary bench flood</c>: a raw IPv4 socket with IPPROTO_RAW (which implies IP_HDRINCL),
/// the IPv4 and UDP headers written here. Linux fills in the IP checksum, total length and packet id;
/// the UDP checksum is left 0 (optional over IPv4). Only ever to 127.0.0.0/8: loopback delivers a
/// forged loopback source as it is, and nothing leaves the machine.
/// </summary>
internal sealed class RawUdpSender : IDisposable
{
    private const int Headers = 28;

    private readonly Socket socket;
    private readonly byte[] packet = new byte[65_535];
    private (IPAddress Address, SocketAddress Serialized)? target;

    private RawUdpSender(Socket socket) => this.socket = socket;

    /// <summary>A sender, or null with the reason raw sockets cannot be opened here (not Linux, not root).</summary>
    public static RawUdpSender? TryOpen(out string reason)
    {
        reason = string.Empty;
        if (!OperatingSystem.IsLinux())
        {
            reason = "forged source addresses need a raw IPv4 socket, used on Linux only";
            return null;
        }

        try
        {
            return new RawUdpSender(new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw));
        }
        catch (SocketException e)
        {
            reason = $"cannot open a raw IPv4 socket ({e.SocketErrorCode}: run as root or with CAP_NET_RAW to forge source addresses)";
            return null;
        }
    }

    /// <summary>Sends <paramref name="payload"/> to <paramref name="to"/> as if from <paramref name="fromAddress"/>:<paramref name="fromPort"/>; false when the datagram was lost to a full buffer.</summary>
    public bool Send(uint fromAddress, int fromPort, IPEndPoint to, ReadOnlySpan<byte> payload)
    {
        Span<byte> destination = stackalloc byte[4];
        if (to.AddressFamily != AddressFamily.InterNetwork || !to.Address.TryWriteBytes(destination, out _) || destination[0] != 127 || fromAddress >> 24 != 127)
        {
            // The bench forges loopback traffic only: refuse anything that could leave this machine.
            throw new InvalidOperationException($"raw sends go to and from 127.0.0.0/8 only, not {to}");
        }

        var length = Headers + payload.Length;
        var ip = packet.AsSpan(0, 20);
        ip.Clear();
        ip[0] = 0x45; // IPv4, 5-word header
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment
        ip[8] = 64; // TTL
        ip[9] = (byte)ProtocolType.Udp;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], fromAddress);
        destination.CopyTo(ip[16..]);

        var udp = packet.AsSpan(20, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)fromPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        payload.CopyTo(packet.AsSpan(Headers));
        try
        {
            if (target is not { } t || !t.Address.Equals(to.Address))
            {
                // Raw sockets take no port; serialized once, not per datagram.
                t = (to.Address, new IPEndPoint(to.Address, 0).Serialize());
                target = t;
            }

            socket.SendTo(packet.AsSpan(0, length), SocketFlags.None, t.Serialized);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => socket.Dispose();
}
