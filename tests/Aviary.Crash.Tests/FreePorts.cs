using System.Net;
using System.Net.Sockets;

namespace Aviary.Crash.Tests;

/// <summary>
/// Loopback UDP ports for the restarted nodes, each used once: the server counts GET_BLOCKs per
/// source port, so a killed run's late datagrams are never counted against the next run.
/// </summary>
internal sealed class FreePorts
{
    private readonly HashSet<int> used = [];

    public int Next()
    {
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            if (used.Add(port))
            {
                return port;
            }
        }
    }
}
