using System.Net;
using System.Net.Sockets;

namespace Aviary.Probe;

/// <summary>
/// Where the probe's sockets bind and which host its GOSSIP names, chosen together so that the
/// replies a check asks for reach the probe.
/// </summary>
public static class ProbeAddressing
{
    /// <summary>
    /// A loopback <paramref name="advertise"/> is bound as given; for a loopback target the sockets
    /// bind to the loopback address of its family (127.0.0.1 reaches a peer bound to 127.0.0.5 too)
    /// and name that address; else they bind to any address and name the one the OS sends from
    /// towards the target, unless <paramref name="advertise"/> names another.
    /// </summary>
    public static (IPAddress Bind, string Advertise) Choose(IPEndPoint target, string? advertise)
    {
        var v6 = target.AddressFamily == AddressFamily.InterNetworkV6;
        if (advertise is not null && IPAddress.TryParse(advertise, out var given) && IPAddress.IsLoopback(given) && given.AddressFamily == target.AddressFamily)
        {
            return (given, advertise);
        }

        if (IPAddress.IsLoopback(target.Address))
        {
            var loopback = v6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            return (loopback, advertise ?? loopback.ToString());
        }

        return (v6 ? IPAddress.IPv6Any : IPAddress.Any, advertise ?? LocalAddressTowards(target));
    }

    /// <summary>The local address the OS would send from to reach <paramref name="target"/> (connecting a UDP socket sends nothing).</summary>
    private static string LocalAddressTowards(IPEndPoint target)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(target);
        return ((IPEndPoint)socket.LocalEndPoint!).Address.ToString();
    }
}
