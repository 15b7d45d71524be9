using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Node.Udp;

/// <summary>
/// Which source a received datagram counts as for the fair inbox (<see cref="FairQueue"/>): the same
/// grouping as the rate limiter's <see cref="Limits.SourceKey"/>, read straight from the socket
/// address bytes without allocating. An IPv4 /24 or IPv6 /64 is one source; on loopback each address
/// and port is its own.
/// </summary>
public static class InboxFlow
{
    /// <summary>A 64-bit key for <paramref name="source"/>; equal for datagrams of one source.</summary>
    public static ulong Of(SocketAddress source)
    {
        // Port and address sit at the same offsets in sockaddr_in and sockaddr_in6 on every platform.
        var bytes = source.Buffer.Span[..source.Size];
        var port = bytes.Length >= 4 ? (ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]) : 0;
        if (source.Family == AddressFamily.InterNetwork && bytes.Length >= 8)
        {
            return V4(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), port);
        }

        if (source.Family == AddressFamily.InterNetworkV6 && bytes.Length >= 24)
        {
            var high = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
            var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
            if (high == 0 && low >> 32 == 0xFFFF)
            {
                return V4((uint)low, port);
            }

            return high == 0 && low == 1 ? (3UL << 62) | port : Mix(high);
        }

        var key = 0UL;
        foreach (var b in bytes)
        {
            key = Mix(key ^ b);
        }

        return key;
    }

    /// <summary>The bucket of <paramref name="flow"/> among <paramref name="buckets"/> (a power of two), keyed by a secret <paramref name="seed"/>.</summary>
    public static int Bucket(ulong flow, ulong seed, int buckets) => (int)(Mix(flow ^ seed) & (ulong)(buckets - 1));

    private static ulong V4(uint address, ulong port) =>
        address >> 24 == 127 ? (2UL << 62) | ((ulong)address << 16) | port : (1UL << 62) | (address & 0xFFFF_FF00u);

    /// <summary>SplitMix64's finaliser: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
