using System.Net;
using System.Net.Sockets;

using Aviary.Node;

namespace Aviary.Client;

/// <summary>Name lookup for the client commands (the core never resolves names itself).</summary>
public static class PeerAddressResolution
{
    /// <summary>The endpoint to send to: the address itself, or the host name looked up (IPv4 preferred, as the course network is).</summary>
    public static async Task<IPEndPoint> ResolveAsync(this PeerAddress address, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address.Host, out var literal))
        {
            return new IPEndPoint(literal, address.Port);
        }

        var found = await Dns.GetHostAddressesAsync(address.Host, cancellationToken);
        var chosen = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(chosen, address.Port);
    }

}
