using System.Net;
using System.Net.Sockets;

using Aviary.Protocol;

namespace Aviary.Crash.Tests;

/// <summary>Asks a node for STATS over loopback UDP, resending after each silent second, within a bound.</summary>
internal static class StatsProbe
{
    public static async Task<StatsReply> AskAsync(int port, TimeSpan bound, CancellationToken cancel)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var to = new IPEndPoint(IPAddress.Loopback, port);
        var request = MessageEncoder.Encode(Stats.Instance);
        var deadline = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < deadline)
        {
            await socket.SendAsync(request, to, cancel);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(wait.Token);
                    if (MessageDecoder.Decode(received.Buffer).Message is StatsReply reply)
                    {
                        return reply;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // Silent for a second (still starting, or the datagram was lost): ask again.
            }
        }

        throw new TimeoutException($"no STATS_REPLY from 127.0.0.1:{port} within {bound.TotalSeconds:0} s");
    }
}
