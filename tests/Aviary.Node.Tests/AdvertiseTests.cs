using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Node.Tests;

/// <summary>
/// The host named in GOSSIP and GOSSIP_REPLY is chosen per destination (issue #14): what the transport
/// says that peer reaches us on, else the configured host; and we still know ourselves under each.
/// </summary>
public sealed class AdvertiseTests
{
    private static readonly PeerAddress LoopbackPeer = new("127.0.0.1", 9001);
    private static readonly PeerAddress LanPeer = new("10.77.0.2", 8999);

    [Fact]
    public void Each_peer_is_told_the_host_the_transport_names_for_it()
    {
        var node = Node(new() { ["127.0.0.1"] = "127.0.0.1", ["10.77.0.2"] = "10.77.0.1" });
        node.Receive(LoopbackPeer, new Gossip(LoopbackPeer.Host, LoopbackPeer.Port, "a", "near"));
        node.Receive(LanPeer, new Gossip(LanPeer.Host, LanPeer.Port, "b", "far"));

        // Replies, and the challenges that ask each newcomer to prove it receives (the other's gossip, forwarded untouched, aside).
        Assert.Equal(2, node.Transport.Of<GossipReply>().Count);
        Assert.Contains(node.Transport.Of<Gossip>(), g => g.To == LanPeer);
        Assert.All(node.Transport.Of<GossipReply>(), r => Assert.Equal(r.To == LanPeer ? "10.77.0.1" : "127.0.0.1", r.Message.Host));
        Assert.All(node.Transport.Of<Gossip>().Where(g => g.Message.Port == 9000), g => Assert.Equal(g.To == LanPeer ? "10.77.0.1" : "127.0.0.1", g.Message.Host));

        // Both answer the challenge, so the keep-alive round may go to them.
        node.Receive(LoopbackPeer, new GossipReply(LoopbackPeer.Host, LoopbackPeer.Port, "near"));
        node.Receive(LanPeer, new GossipReply(LanPeer.Host, LanPeer.Port, "far"));
        node.Transport.Clear();
        node.Core.GossipRound();
        var gossips = node.Transport.Of<Gossip>();
        Assert.Equal(2, gossips.Count);
        Assert.Contains(gossips, g => g.To == LoopbackPeer && g.Message.Host == "127.0.0.1");
        Assert.Contains(gossips, g => g.To == LanPeer && g.Message.Host == "10.77.0.1");
        Assert.Single(gossips.Select(g => g.Message.Id).Distinct());
    }

    [Fact]
    public void Where_the_transport_cannot_say_the_configured_host_is_named()
    {
        var node = Node([]);
        node.Receive(LanPeer, new Gossip(LanPeer.Host, LanPeer.Port, "b", "far"));
        Assert.All(node.Transport.Sent.Select(s => s.Message), m => Assert.Equal("192.0.2.9", m switch
        {
            GossipReply r => r.Host,
            Gossip g => g.Host,
            _ => "192.0.2.9",
        }));
    }

    [Fact]
    public void Our_own_gossip_is_known_under_every_host_we_named()
    {
        var node = Node(new() { ["10.77.0.2"] = "10.77.0.1" });
        node.Receive(LanPeer, new Gossip(LanPeer.Host, LanPeer.Port, "b", "far"));
        Assert.True(node.Core.IsSelf(new PeerAddress("10.77.0.1", 9000)));
        Assert.True(node.Core.IsSelf(new PeerAddress("192.0.2.9", 9000)));
        Assert.False(node.Core.IsSelf(new PeerAddress("10.77.0.1", 9001)));

        // Our gossip forwarded back by a third peer, and a reply naming us: neither makes us our own peer.
        node.Receive(new PeerAddress("10.77.0.3", 8999), new Gossip("10.77.0.1", 9000, "mine", "me"));
        node.Receive(LanPeer, new GossipReply("10.77.0.1", 9000, "me"));
        Assert.DoesNotContain(node.Core.Peers.All, p => p.Address.Port == 9000);
        Assert.False(node.Core.Challenge(new PeerAddress("10.77.0.1", 9000)));
    }

    private static Harness Node(Dictionary<string, string> hosts)
    {
        var options = new NodeOptions { Name = "me", AdvertisedHost = "192.0.2.9", Port = 9000, Difficulty = TestBlocks.Difficulty, Id = "me" };
        var transport = new NamingTransport(hosts);
        var core = new NodeCore(options, new LocalChain(new InMemoryChainStore(), options.Difficulty), transport, new FakeTimeProvider(), NullLogger.Instance, new Random(1));
        return new Harness(core, transport);
    }

    private sealed record Harness(NodeCore Core, NamingTransport Transport)
    {
        public void Receive(PeerAddress from, Message message) => Core.OnDatagram(from, MessageEncoder.Encode(message));
    }

    /// <summary>Records sends and names a fixed local host per destination host, as the UDP host does from its routes.</summary>
    private sealed class NamingTransport(Dictionary<string, string> hosts) : ITransport
    {
        private readonly RecordingTransport recorder = new();

        public List<(PeerAddress To, byte[] Bytes, Message Message)> Sent => recorder.Sent;

        public void Send(PeerAddress to, ReadOnlySpan<byte> datagram) => recorder.Send(to, datagram);

        public string? LocalHostFor(PeerAddress to) => hosts.GetValueOrDefault(to.Host);

        public List<(PeerAddress To, T Message)> Of<T>()
            where T : Message => recorder.Of<T>();

        public void Clear() => recorder.Clear();
    }
}
