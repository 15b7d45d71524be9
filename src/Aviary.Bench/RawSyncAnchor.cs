using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;

using Aviary.Protocol;

namespace Aviary.Bench;

/// <summary>
/// The ceiling for <c>aviary bench sync</c>: the same topology (K serving sockets on loopback, one
/// client, the same requests in flight per server, the same GET_BLOCK and GET_BLOCK_REPLY bytes) with
/// nothing but the bytes moved — replies encoded once up front, the height read by scanning digits, no
/// decoding, hashing, verifying or storing. Same runtime, same sockets API, so Aviary's figure as a
/// fraction of this one is what its own work costs. <c>batched</c> false: one ReceiveFrom and one
/// SendTo per datagram, the sockets API used plainly; true: the system calls Aviary's host makes
/// (<c>RawSyncAnchor.Batched.cs</c>).
/// </summary>
internal static partial class RawSyncAnchor
{
    private static readonly byte[] HeightKey = "\"height\":"u8.ToArray();

    /// <summary>Replies per second for <paramref name="chain"/>'s heights and the process's CPU time per reply, or null when the client stalled for 10 s.</summary>
    public static SyncPace? Run(IReadOnlyList<Block> chain, int servers, int inFlightPerServer, bool batched, CancellationToken stop)
    {
        var replies = new byte[chain.Count][];
        for (var i = 0; i < chain.Count; i++)
        {
            replies[i] = MessageEncoder.Encode(new GetBlockReply(chain[i]));
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var sockets = new List<Socket>();
        var threads = new List<Thread>();
        try
        {
            var endpoints = new List<IPEndPoint>();
            for (var i = 0; i < servers; i++)
            {
                var socket = Open();
                sockets.Add(socket);
                endpoints.Add((IPEndPoint)socket.LocalEndPoint!);
                var thread = new Thread(() =>
                {
                    if (batched)
                    {
                        ServeBatched(socket, replies, cancel.Token);
                    }
                    else
                    {
                        Serve(socket, replies, cancel.Token);
                    }
                })
                {
                    IsBackground = true,
                    Name = $"raw-server-{i}",
                };
                threads.Add(thread);
                thread.Start();
            }

            using var client = Open();
            var cpu = CpuClock.Start();
            var fetched = batched
                ? FetchBatched(client, endpoints, chain.Count, inFlightPerServer, cancel.Token)
                : Fetch(client, endpoints, chain.Count, inFlightPerServer, cancel.Token);
            return fetched is { } rate ? new SyncPace(rate, cpu.MicrosecondsPer(chain.Count)) : null;
        }
        finally
        {
            cancel.Cancel();
            sockets.ForEach(s => s.Dispose());
            threads.ForEach(t => t.Join());
        }
    }

    private static Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>One server: each GET_BLOCK gets the stored reply bytes for its height.</summary>
    private static void Serve(Socket socket, byte[][] replies, CancellationToken stop)
    {
        var buffer = new byte[WireLimits.MaxInboundDatagram];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Height(buffer.AsSpan(0, n)) is { } h && h < replies.Length)
            {
                socket.SendTo(replies[h], from);
            }
        }
    }

    /// <summary>The client: keeps <paramref name="perServer"/> requests in flight to each server, a new height per reply.</summary>
    private static double? Fetch(Socket client, List<IPEndPoint> servers, int count, int perServer, CancellationToken stop)
    {
        client.ReceiveTimeout = 100;
        var request = new byte[64];
        var progress = new FetchProgress(count);
        void Ask(EndPoint to, int height) => client.SendTo(request.AsSpan(0, GetBlock(request, height)), SocketFlags.None, to);

        for (var k = 0; k < perServer; k++)
        {
            foreach (var server in servers)
            {
                if (progress.TryTakeNext(out var h))
                {
                    Ask(server, h);
                }
            }
        }

        var buffer = new byte[WireLimits.MaxInboundDatagram];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!progress.Done && !stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = client.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                // Loopback drops when a buffer overflows: ask again for what is missing below the next height.
                if (progress.Stalled)
                {
                    return null;
                }

                var asked = 0;
                foreach (var h in progress.Missing(perServer * servers.Count))
                {
                    Ask(servers[asked++ % servers.Count], h);
                }

                continue;
            }

            progress.Arrived(Height(buffer.AsSpan(0, n)));
            if (progress.TryTakeNext(out var next))
            {
                Ask(from, next);
            }
        }

        return progress.Rate;
    }

    private static int GetBlock(byte[] into, int height)
    {
        var head = "{\"type\":\"GET_BLOCK\",\"height\":"u8;
        head.CopyTo(into);
        Utf8Formatter.TryFormat(height, into.AsSpan(head.Length), out var digits);
        into[head.Length + digits] = (byte)'}';
        return head.Length + digits + 1;
    }

    private static int? Height(ReadOnlySpan<byte> request)
    {
        var at = request.IndexOf(HeightKey);
        return at >= 0 && Utf8Parser.TryParse(request[(at + HeightKey.Length)..], out int h, out _) && h >= 0 ? h : null;
    }
}
