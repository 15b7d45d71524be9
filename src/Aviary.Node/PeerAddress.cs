using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Node;

/// <summary>Where a peer listens: a host (IP or name, as peers write it in GOSSIP) and a UDP port.</summary>
public readonly record struct PeerAddress(string Host, int Port)
{
    /// <summary>
    /// The only one of <paramref name="candidates"/> on <paramref name="host"/>: where a datagram from
    /// another port of that host most likely comes from (real peers send from another socket than the
    /// one they listen on, protocol.md §11). False when none or several are there.
    /// </summary>
    public static bool TryOnlyOnHost<T>(string host, IEnumerable<T> candidates, Func<T, PeerAddress> addressOf, [MaybeNullWhen(false)] out T only)
    {
        only = default;
        var found = false;
        foreach (var c in candidates)
        {
            if (addressOf(c).Host == host)
            {
                if (found)
                {
                    only = default;
                    return false;
                }

                only = c;
                found = true;
            }
        }

        return found;
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>host:port</c>, <c>1.2.3.4:port</c> or <c>[::1]:port</c>; on failure, <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out PeerAddress address, out string error)
    {
        address = default;
        error = string.Empty;
        text = text.Trim();
        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"\"{text}\" is not [IPv6]:PORT";
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"\"{host}\" in brackets is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"\"{text}\" has no port: write HOST:PORT";
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = $"\"{text}\": put an IPv6 address in brackets, as [{host}]:{port}";
                return false;
            }
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            error = $"\"{text}\" has no usable host before the port";
            return false;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            error = $"port \"{port}\" is not a number from 1 to 65535";
            return false;
        }

        address = new PeerAddress(host, number);
        return true;
    }

    /// <summary>The address a datagram came from.</summary>
    public static PeerAddress From(IPEndPoint endPoint) =>
        new(endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4().ToString() : endPoint.Address.ToString(), endPoint.Port);
}
