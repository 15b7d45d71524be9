using System.Net;
using System.Net.Sockets;

using Aviary.Node;
using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Bench;

/// <summary>
/// The batched raw anchor: the same job with the system calls Aviary's host makes — each wake-up
/// reads what waits with one recvmmsg and sends what it answers or asks with one sendmmsg — and still
/// nothing decoded, hashed, verified or stored. The ceiling for a host that batches.
/// </summary>
internal static partial class RawSyncAnchor
{
    private static void ServeBatched(Socket socket, byte[][] replies, CancellationToken stop)
    {
        using var receiver = new RawBatchReceiver(socket);
        using var writer = new SocketWriter(socket, NullLogger.Instance);
        var from = new SocketAddress(socket.AddressFamily);
        var client = new PeerAddress("127.0.0.1", 0);
        while (!stop.IsCancellationRequested)
        {
            var n = receiver.Receive();
            if (n < 0)
            {
                return;
            }

            for (var i = 0; i < n; i++)
            {
                if (Height(receiver.Data(i)) is { } h && h < replies.Length)
                {
                    receiver.Source(i, from);
                    writer.Add(client, from, replies[h]);
                }
            }

            writer.Flush();
        }
    }

    private static double? FetchBatched(Socket client, List<IPEndPoint> servers, int count, int perServer, CancellationToken stop)
    {
        using var receiver = new RawBatchReceiver(client);
        using var writer = new SocketWriter(client, NullLogger.Instance);
        var targets = servers.Select(s => s.Serialize()).ToList();
        var peers = servers.Select(s => new PeerAddress("127.0.0.1", s.Port)).ToList();
        var request = new byte[64];
        var progress = new FetchProgress(count);
        void Ask(int server, int height) => writer.Add(peers[server], targets[server], request.AsSpan(0, GetBlock(request, height)));

        for (var k = 0; k < perServer; k++)
        {
            for (var s = 0; s < servers.Count && progress.TryTakeNext(out var h); s++)
            {
                Ask(s, h);
            }
        }

        writer.Flush();
        var from = new SocketAddress(client.AddressFamily);
        while (!progress.Done && !stop.IsCancellationRequested)
        {
            var n = receiver.Receive();
            if (n < 0)
            {
                return null;
            }

            if (n == 0)
            {
                // As the plain anchor: ask again for what is missing below the next height.
                if (progress.Stalled)
                {
                    return null;
                }

                var asked = 0;
                foreach (var h in progress.Missing(perServer * servers.Count))
                {
                    Ask(asked++ % servers.Count, h);
                }

                writer.Flush();
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                progress.Arrived(Height(receiver.Data(i)));
                receiver.Source(i, from);
                if (targets.IndexOf(from) is var server and >= 0 && progress.TryTakeNext(out var next))
                {
                    Ask(server, next);
                }
            }

            writer.Flush();
        }

        return progress.Rate;
    }
}
