using System.Net;
using System.Net.Sockets;

using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>The core's sends: gathered and handed over with sendmmsg on Linux, one SendTo each elsewhere; every datagram arrives intact, in order, where it was addressed.</summary>
public sealed class SocketWriterTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_gathered_datagram_reaches_its_destination_intact_and_in_order(bool batched)
    {
        Assert.SkipWhen(batched && !SocketReader.CanBatch, "sendmmsg is used on 64-bit Linux only");
        using var node = Bound();
        using var first = Bound();
        using var second = Bound();
        var targets = new[] { first, second };
        // More than two batches, of every size up to a few KiB (an empty one first), and one as long as UDP allows.
        var sent = Enumerable.Range(0, 150).Select(i => new byte[i * 30]).Concat([new byte[65_000]]).ToList();
        sent.ForEach(d => d.AsSpan().Fill((byte)d.Length));

        using var writer = new SocketWriter(node, NullLogger.Instance, batched);
        for (var i = 0; i < sent.Count; i++)
        {
            var to = (IPEndPoint)targets[i % 2].LocalEndPoint!;
            writer.Add(new PeerAddress("127.0.0.1", to.Port), to.Serialize(), sent[i]);
        }

        writer.Flush();
        Assert.Equal(0, writer.Pending);
        if (batched)
        {
            Assert.InRange(writer.Calls, 1, sent.Count / 10);
        }

        var buffer = new byte[70_000];
        var source = ((IPEndPoint)node.LocalEndPoint!).Serialize();
        for (var i = 0; i < sent.Count; i++)
        {
            var socket = targets[i % 2];
            Assert.True(socket.Poll(5_000_000, SelectMode.SelectRead), $"datagram {i} did not arrive");
            var from = new SocketAddress(AddressFamily.InterNetwork);
            var n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            Assert.Equal(sent[i], buffer.AsSpan(0, n).ToArray());
            Assert.Equal(source, from);
        }
    }

    [Fact]
    public void A_datagram_the_kernel_refuses_is_skipped_and_the_rest_still_go_in_batches()
    {
        Assert.SkipWhen(!SocketReader.CanBatch, "sendmmsg is used on 64-bit Linux only");
        using var node = Bound();
        using var peer = Bound();
        var to = (IPEndPoint)peer.LocalEndPoint!;
        var address = new PeerAddress("127.0.0.1", to.Port);
        using var writer = new SocketWriter(node, NullLogger.Instance);
        writer.Add(address, to.Serialize(), [1]);
        writer.Flush();

        // The kernel refuses a datagram to port 0 (EINVAL), in the middle of a batch.
        writer.Add(address, to.Serialize(), [2]);
        writer.Add(new PeerAddress("127.0.0.1", 0), new IPEndPoint(IPAddress.Loopback, 0).Serialize(), [3]);
        writer.Add(address, to.Serialize(), [4]);
        writer.Flush();
        var calls = writer.Calls;
        writer.Add(address, to.Serialize(), [5]);
        writer.Add(address, to.Serialize(), [6]);
        writer.Flush();

        Assert.Equal(calls + 1, writer.Calls);
        var buffer = new byte[16];
        var got = new List<byte>();
        while (got.Count < 5 && peer.Poll(5_000_000, SelectMode.SelectRead))
        {
            peer.Receive(buffer);
            got.Add(buffer[0]);
        }

        Assert.Equal([1, 2, 4, 5, 6], got);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 * 1024 * 1024 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
