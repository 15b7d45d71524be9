using System.Net;
using System.Net.Sockets;

namespace Aviary.Node.Limits;

/// <summary>
/// Who a datagram is charged to by the rate limiter: an IPv4 /24 or an IPv6 /64 (the smallest blocks
/// one party typically holds, so spoofing many addresses inside one network buys no extra budget),
/// except on loopback, where each address and port is its own source.
/// </summary>
/// <remarks>
/// Loopback is keyed by address and port because every node of a local test bed shares 127.0.0.1:
/// a /24 key would charge the whole devnet (or a syncing node and its three servers) to one bucket.
/// This cannot be abused from outside: the kernel drops packets with 127.0.0.0/8 or ::1 sources that
/// arrive on any other interface, so only processes on this machine can pick those keys.
/// Host names (never a datagram source in production; tests may use them) are keyed by name and port.
/// </remarks>
public readonly record struct SourceKey(UInt128 Prefix, int Port, string? Name)
{
    private static readonly UInt128 V4Tag = (UInt128)1 << 127;

    public static SourceKey Of(PeerAddress address)
    {
        if (TryParseV4(address.Host, out var v4))
        {
            return v4 >> 24 == 127
                ? new SourceKey(V4Tag | v4, address.Port, null)
                : new SourceKey(V4Tag | (v4 & 0xFFFF_FF00u), 0, null);
        }

        if (address.Host.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(address.Host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            ip.TryWriteBytes(bytes, out _);
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
            return IPAddress.IsLoopback(ip)
                ? new SourceKey(value, address.Port, null)
                : new SourceKey(value & ((UInt128)ulong.MaxValue << 64), 0, null);
        }

        return new SourceKey(0, address.Port, address.Host);
    }

    /// <summary>Parses dotted-quad IPv4 without allocating (the receive path runs this per datagram).</summary>
    private static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var octets = 0;
        var i = 0;
        while (octets < 4)
        {
            var start = i;
            uint octet = 0;
            while (i < text.Length && text[i] is >= '0' and <= '9' && i - start < 3)
            {
                octet = (octet * 10) + (uint)(text[i] - '0');
                i++;
            }

            if (i == start || octet > 255)
            {
                return false;
            }

            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == text.Length;
    }
}
