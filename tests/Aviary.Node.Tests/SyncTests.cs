using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

public sealed class SyncTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);

    private static PeerAddress P(int i) => new($"127.0.0.{10 + i}", 8000 + i);

    private static void Join(TestNetwork net, NodeCore node, params PeerAddress[] peers)
    {
        foreach (var p in peers)
        {
            net.Send(p, node.Self, new GossipReply(p.Host, p.Port, p.ToString()));
        }
    }

    private static int GetBlocksTo(TestNetwork net, PeerAddress to) => net.Delivered.Count(d => d.To == to && d.Message is GetBlock);

    [Fact]
    public void Empty_node_syncs_the_chain_from_its_peers()
    {
        var chain = TestBlocks.Chain(300);
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        net.AddServer(P(1), chain);
        net.AddServer(P(2), chain);
        node.Start();
        Join(net, node, P(1), P(2));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(300, node.Chain.Count);
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.True(GetBlocksTo(net, P(1)) > 50 && GetBlocksTo(net, P(2)) > 50, "both peers served part of the chain");
    }

    [Fact]
    public void Highest_claim_wins_over_the_majority_and_ties_go_to_the_most_peers()
    {
        var common = TestBlocks.Chain(20);
        var longer = TestBlocks.Extend(common, 5, "long");
        var popular = TestBlocks.Extend(common, 3, "popular");
        var lonely = TestBlocks.Extend(common, 3, "lonely");

        var tally = new ConsensusTally();
        tally.Add(P(1), new StatsReply(23, popular[^1].Hash), 1);
        tally.Add(P(2), new StatsReply(23, popular[^1].Hash), 1);
        tally.Add(P(3), new StatsReply(23, lonely[^1].Hash), 1);
        var ranked = tally.Ranked(_ => false);
        Assert.Equal(new ChainClaim(23, popular[^1].Hash), ranked[0].Claim);
        Assert.Equal([P(1), P(2)], ranked[0].Peers);

        var net = new TestNetwork();
        var node = net.AddNode(Me, common);
        net.AddServer(P(1), popular);
        net.AddServer(P(2), popular);
        net.AddServer(P(3), lonely);
        net.AddServer(P(4), longer);
        node.Start();
        Join(net, node, P(1), P(2), P(3), P(4));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(longer[^1].Hash, node.Chain.TopHash);
    }

    [Fact]
    public void Claim_whose_hash_fails_the_difficulty_is_ignored()
    {
        var chain = TestBlocks.Chain(30);
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        net.AddServer(P(1), chain);
        net.AddServer(P(2), chain, claim: new StatsReply(5000, new string('a', 64)));
        node.Start();
        Join(net, node, P(1), P(2));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.Equal(0, GetBlocksTo(net, P(2)));
    }

    [Fact]
    public void Invalid_chain_is_marked_bad_and_the_next_best_is_fetched()
    {
        var honest = TestBlocks.Chain(40);
        var forged = TestBlocks.Extend(honest[..30], 15, "forger");
        forged[35] = forged[35] with { Nonce = "tampered" };
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        net.AddServer(P(1), forged);
        net.AddServer(P(2), honest);
        node.Start();
        Join(net, node, P(1), P(2));
        net.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(40, node.Chain.Count);
        Assert.Equal(honest[^1].Hash, node.Chain.TopHash);
        Assert.True(node.IsBadClaim(new ChainClaim(45, forged[^1].Hash)));
        Assert.True(node.IsMisbehaving(P(1)));
    }

    [Fact]
    public void Extension_fetches_only_the_new_blocks()
    {
        var chain = TestBlocks.Chain(105);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..100]);
        net.AddServer(P(1), chain);
        node.Start();
        Join(net, node, P(1));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(105, node.Chain.Count);
        var heights = net.Delivered.Where(d => d.Message is GetBlock).Select(d => ((GetBlock)d.Message!).Height!.Value).Order().ToList();
        Assert.Equal([99, 100, 101, 102, 103, 104], heights);
    }

    [Fact]
    public void Fork_point_is_found_with_few_requests_and_only_the_suffix_is_fetched()
    {
        var common = TestBlocks.Chain(900);
        var ours = TestBlocks.Extend(common, 100, "ours");
        var theirs = TestBlocks.Extend(common, 120, "theirs");
        var net = new TestNetwork();
        var node = net.AddNode(Me, ours);
        net.AddServer(P(1), theirs);
        node.Start();
        Join(net, node, P(1));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(theirs[^1].Hash, node.Chain.TopHash);
        var below = net.Delivered.Count(d => d.Message is GetBlock { Height: < 900 });
        Assert.InRange(below, 1, 2 * 10);
        Assert.Equal(120, net.Delivered.Where(d => d.Message is GetBlock { Height: >= 900 }).Select(d => ((GetBlock)d.Message!).Height).Distinct().Count());
    }

    [Fact]
    public void Sync_completes_with_thirty_percent_loss()
    {
        var chain = TestBlocks.Chain(500);
        var net = new TestNetwork(seed: 3);
        var node = net.AddNode(Me, []);
        for (var i = 1; i <= 3; i++)
        {
            net.AddServer(P(i), chain);
        }

        node.Start();
        Join(net, node, P(1), P(2), P(3));
        for (var i = 1; i <= 3; i++)
        {
            net.LossFrom[P(i)] = 0.3;
        }

        net.LossFrom[Me] = 0.3;
        net.Run(TimeSpan.FromSeconds(60));
        Assert.True(node.Chain.Count == 500 && node.Chain.TopHash == chain[^1].Hash, net.Log.ToString());
        Assert.True(node.LastSync?.Retransmissions > 0);
    }

    [Fact]
    public void Stalled_peer_is_skipped()
    {
        var chain = TestBlocks.Chain(200);
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        net.AddServer(P(1), chain);
        net.AddScripted(P(2), (_, m) => m is Stats ? [new StatsReply(200, chain[^1].Hash)] : []);
        node.Start();
        Join(net, node, P(1), P(2));
        net.Run(TimeSpan.FromSeconds(20));
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.True(GetBlocksTo(net, P(2)) < 60, $"the staller got {GetBlocksTo(net, P(2))} requests");
    }

    [Fact]
    public void Height_liar_costs_a_few_requests_and_a_timeout()
    {
        var chain = TestBlocks.Chain(50);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..10]);
        net.AddServer(P(1), chain);
        var lie = new StatsReply(1L << 62, new string('0', 64));
        net.AddScripted(P(2), (_, m) => m switch
        {
            Stats => [lie],
            GetBlock => [GetBlockReply.Missing],
            _ => [],
        });
        node.Start();
        Join(net, node, P(1), P(2));
        net.Run(TimeSpan.FromSeconds(15));
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.InRange(GetBlocksTo(net, P(2)), 1, 8);
        Assert.True(node.IsMisbehaving(P(2)));
    }

    [Fact]
    public void Silent_height_liar_is_dropped_after_timeouts()
    {
        var chain = TestBlocks.Chain(50);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..10]);
        net.AddServer(P(1), chain);
        net.AddScripted(P(2), (_, m) => m is Stats ? [new StatsReply(1L << 62, new string('0', 64))] : []);
        node.Start();
        Join(net, node, P(1), P(2));
        net.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.InRange(GetBlocksTo(net, P(2)), 1, 8);
    }
}
