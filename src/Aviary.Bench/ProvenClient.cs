using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using Aviary.Protocol;

namespace Aviary.Bench;

/// <summary>
/// Makes a benchmark's client socket a proven address for the node it loads, the way a course peer
/// proves itself: it gossips its own address, and answers the node's GOSSIP (the challenge) with a
/// GOSSIP_REPLY. Unproven addresses get no more bytes back than they sent (no amplification).
/// </summary>
internal static class ProvenClient
{
    /// <summary>True when the node's challenge came and was answered within <paramref name="timeout"/>.</summary>
    public static bool Prove(Socket client, IPEndPoint node, TimeSpan timeout)
    {
        var self = (IPEndPoint)client.LocalEndPoint!;
        var host = self.Address.ToString();
        var name = $"bench client {self.Port}";
        client.SendTo(MessageEncoder.Encode(new Gossip(host, self.Port, $"bench-{Guid.NewGuid():N}", name)), node);
        var buffer = new byte[2048];
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (!client.Poll(10_000, SelectMode.SelectRead))
            {
                continue;
            }

            var n = client.Receive(buffer);
            if (MessageDecoder.Decode(buffer.AsSpan(0, n)).Message is Gossip)
            {
                client.SendTo(MessageEncoder.Encode(new GossipReply(host, self.Port, name)), node);
                return true;
            }
        }

        return false;
    }
}
