using System.Globalization;
using System.Net;

namespace Aviary.Node;

/// <summary>Where a peer listens: a host (IP or name, as peers write it in GOSSIP) and a UDP port.</summary>
public readonly record struct PeerAddress(string Host, int Port)
{
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>host:port</c> or <c>[v6]:port</c>; false with a reason otherwise.</summary>
    public static bool TryParse(string text, out PeerAddress address, out string error)
    {
        address = default;
        error = string.Empty;
        text = text.Trim();
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"\"{text}\" is not [IPv6]:PORT";
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"\"{text}\" is not HOST:PORT";
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"port \"{portText}\" is not a number from 1 to 65535";
            return false;
        }

        address = new PeerAddress(host, port);
        return true;
    }

    /// <summary>The address a datagram came from.</summary>
    public static PeerAddress From(IPEndPoint endPoint) =>
        new(endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4().ToString() : endPoint.Address.ToString(), endPoint.Port);
}
