using System.Net;
using System.Net.Sockets;

using Aviary.Node.Udp;

namespace Aviary.Node.Tests.Integration;

/// <summary>Both ways the host reads its socket (recvmmsg batches on Linux, ReceiveFrom elsewhere) deliver every datagram intact.</summary>
public sealed class SocketReaderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_every_waiting_datagram_with_its_source_in_batches(bool batched)
    {
        Assert.SkipWhen(batched && !SocketReader.CanBatch, "recvmmsg is used on 64-bit Linux only");
        using var node = Bound();
        using var client = Bound();
        // Short datagrams of every size up to a slot, an empty one, and a few as long as UDP allows.
        var sent = Enumerable.Range(0, 100).Select(i => new byte[i * 20]).Concat(Enumerable.Range(0, 3).Select(_ => new byte[65_000])).ToList();
        sent.ForEach(d => d.AsSpan().Fill((byte)d.Length));
        sent.ForEach(d => client.SendTo(d, node.LocalEndPoint!));

        var inbox = new Inbox(seed: 1);
        using var reader = new SocketReader(node, batched);
        var received = 0;
        var calls = 0;
        while (received < sent.Count && node.Poll(5_000_000, SelectMode.SelectRead))
        {
            var n = reader.Receive(inbox);
            Assert.InRange(n, 1, SocketReader.Batch);
            received += n;
            calls++;
        }

        Assert.Equal(sent.Count, received);
        Assert.True(calls < sent.Count);
        Assert.Equal(0, reader.Receive(inbox));

        var buffer = new byte[FairQueue.LargeSlotBytes];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var expectedSource = ((IPEndPoint)client.LocalEndPoint!).Serialize();
        foreach (var datagram in sent)
        {
            Assert.True(inbox.TryTake(buffer, from, out var length));
            Assert.Equal(datagram, buffer.AsSpan(0, length).ToArray());
            Assert.Equal(expectedSource, from);
        }

        Assert.False(inbox.TryTake(buffer, from, out _));
    }

    [Fact]
    public void Waiting_receive_sleeps_inside_recvmmsg_and_takes_what_comes()
    {
        Assert.SkipWhen(!SocketReader.CanBatch, "recvmmsg is used on 64-bit Linux only");
        using var node = Bound();
        using var client = Bound();
        var inbox = new Inbox(seed: 1);
        using var reader = new SocketReader(node);
        Assert.True(reader.CanWaitInside);

        Assert.Equal(0, reader.ReceiveWaiting(inbox, TimeSpan.FromMilliseconds(5)));
        for (var i = 0; i < 3; i++)
        {
            client.SendTo(new byte[] { (byte)i }, node.LocalEndPoint!);
        }

        var received = 0;
        while (received < 3)
        {
            var n = reader.ReceiveWaiting(inbox, TimeSpan.FromSeconds(5));
            Assert.InRange(n, 1, 3 - received);
            received += n;
        }

        var buffer = new byte[16];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(inbox.TryTake(buffer, from, out var length));
            Assert.Equal([(byte)i], buffer.AsSpan(0, length).ToArray());
        }
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 * 1024 * 1024 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
