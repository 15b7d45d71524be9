using Aviary.Node.Core;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

public sealed class MisbehaviourTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);
    private static readonly PeerAddress Liar = new("127.0.0.11", 8001);
    private static readonly PeerAddress Sibling = new("127.0.0.11", 8002);
    private static readonly PeerAddress Other = new("127.0.0.12", 8001);

    private static void Join(TestNetwork net, NodeCore node, params PeerAddress[] peers)
    {
        foreach (var p in peers)
        {
            net.Send(p, node.Self, new GossipReply(p.Host, p.Port, p.ToString()));
        }
    }

    [Fact]
    public void A_peer_serving_invalid_blocks_is_ignored_alone_and_only_for_a_while()
    {
        var chain = TestBlocks.Chain(60);
        var longer = TestBlocks.Extend(chain, 10);
        var liarHonestNow = false;
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);

        // The liar claims the same chain as its neighbours but serves tampered blocks; later it
        // serves honestly and claims a longer chain that nobody else has yet.
        net.AddScripted(Liar, (_, m) => m switch
        {
            Stats => [liarHonestNow ? new StatsReply(70, longer[^1].Hash) : new StatsReply(60, chain[^1].Hash)],
            GetBlock { Height: { } h and >= 0 and < 70 } => [new GetBlockReply(liarHonestNow ? longer[(int)h] : longer[(int)h] with { Nonce = "tampered" })],
            _ => [GetBlockReply.Missing],
        });
        net.AddServer(Sibling, chain);
        net.AddServer(Other, chain);
        node.Start();
        Join(net, node, Liar, Sibling, Other);
        net.Run(TimeSpan.FromSeconds(10));

        Assert.True(chain[^1].Hash == node.Chain.TopHash, net.Log.ToString());
        Assert.True(node.IsMisbehaving(Liar));
        Assert.False(node.IsMisbehaving(Sibling), "same host, other port");
        Assert.False(node.IsMisbehaving(Other), "other host");
        Assert.Contains(node.Snapshot().Peers, p => p.Address == Liar && p.Misbehaving);

        // While it is remembered, its longer claim is ignored by every consensus round.
        liarHonestNow = true;
        var fetchedFromLiar = net.Delivered.Count(d => d.To == Liar && d.Message is GetBlock);
        var waited = TimeSpan.Zero;
        while (waited < PeerReputation.MisbehavingLifetime - TimeSpan.FromMinutes(1))
        {
            Join(net, node, Liar, Sibling, Other);
            net.Run(TimeSpan.FromSeconds(50));
            waited += TimeSpan.FromSeconds(50);
        }

        Assert.Equal(60, node.Chain.Count);
        Assert.Equal(fetchedFromLiar, net.Delivered.Count(d => d.To == Liar && d.Message is GetBlock));

        // Then it is forgiven, and the next round fetches its (now valid) chain.
        for (var i = 0; i < 6; i++)
        {
            Join(net, node, Liar, Sibling, Other);
            net.Run(TimeSpan.FromSeconds(50));
        }

        Assert.False(node.IsMisbehaving(Liar));
        Assert.Equal(longer[^1].Hash, node.Chain.TopHash);
    }

    [Fact]
    public void A_forged_announce_far_ahead_does_not_get_honest_peers_blamed()
    {
        var chain = TestBlocks.Chain(20);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain);
        net.AddServer(Sibling, chain);
        net.AddServer(Other, chain);
        node.Start();
        Join(net, node, Sibling, Other);
        net.Run(TimeSpan.FromSeconds(3));

        // A real block relabelled with a height far ahead: its hash still meets the difficulty.
        net.Send(new PeerAddress("127.0.0.66", 6666), Me, new Announce(chain[5] with { Height = 5000 }));
        net.Run(TimeSpan.FromSeconds(40));

        Assert.Null(node.Download);
        Assert.Equal(20, node.Chain.Count);
        Assert.False(node.IsMisbehaving(Sibling));
        Assert.False(node.IsMisbehaving(Other));
    }
}
