using System.Net;
using System.Net.Sockets;
using System.Text;

using Aviary.Protocol;

namespace Aviary.Node.Tests.Integration;

/// <summary>
/// A person at a keyboard (<c>nc -u</c>, the protocol's own example): unpadded requests from fresh
/// sockets and from one socket, against a real node on loopback. Every one is answered on the first
/// try, and nothing but the replies arrives.
/// </summary>
public sealed class PlainClientTests
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Every_plain_request_is_answered_on_the_first_try_and_nothing_else_arrives()
    {
        await using var bed = new LoopbackBed(TimeSpan.FromSeconds(60));
        var chain = TestBlocks.Chain(5);
        var (_, _, address) = bed.Start("served", chain, [], seed: 1);
        var node = new IPEndPoint(IPAddress.Loopback, address.Port);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var fresh = Open(sockets);
                var reply = await AskAsync(fresh, node, "{\"type\":\"STATS\"}", bed.Stop.Token);
                Assert.Equal(5, Assert.IsType<StatsReply>(reply).Height);
            }

            for (var i = 0; i < 20; i++)
            {
                var fresh = Open(sockets);
                var reply = await AskAsync(fresh, node, "{\"type\":\"GET_BLOCK\",\"height\":" + (i % 5) + "}", bed.Stop.Token);
                Assert.Equal(chain[i % 5].Hash, Assert.IsType<GetBlockReply>(reply).Block!.Hash);
            }

            // One socket, ten requests a second, as someone polling from a shell loop.
            var one = Open(sockets);
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            for (var i = 0; i < 20; i++)
            {
                await tick.WaitForNextTickAsync(bed.Stop.Token);
                var request = i % 2 == 0 ? "{\"type\":\"STATS\"}" : "{\"type\":\"GET_BLOCK\",\"height\":" + (i % 5) + "}";
                Assert.IsNotType<Gossip>(await AskAsync(one, node, request, bed.Stop.Token));
            }

            // The first sockets have waited two seconds since their reply: anything unasked (our GOSSIP
            // challenge, say) would be queued on them by now.
            Assert.All(sockets, s => Assert.Equal(0, s.Available));
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static Socket Open(List<Socket> sockets)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sockets.Add(socket);
        return socket;
    }

    /// <summary>Sends once and returns the first datagram that comes back (no retry: it must be the reply).</summary>
    private static async Task<Message> AskAsync(Socket socket, IPEndPoint node, string json, CancellationToken cancel)
    {
        await socket.SendToAsync(Encoding.UTF8.GetBytes(json), SocketFlags.None, node, cancel);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        wait.CancelAfter(ReplyWait);
        var buffer = new byte[2048];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
        var decoded = MessageDecoder.Decode(buffer.AsSpan(0, n));
        return decoded.Message ?? throw new InvalidOperationException($"undecodable reply: {decoded.Rejection}");
    }
}
