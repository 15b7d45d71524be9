using Aviary.Protocol;

namespace Aviary.Node.Tests;

public sealed class AnnounceTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);
    private static readonly PeerAddress Miner = new("127.0.0.20", 8020);

    [Fact]
    public void Announce_at_the_tip_is_appended_at_once()
    {
        var chain = TestBlocks.Chain(11);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..10]);
        net.Send(Miner, Me, new Announce(chain[10]));
        net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(11, node.Chain.Count);
        Assert.DoesNotContain(net.Delivered, d => d.Message is GetBlock);
    }

    [Fact]
    public void Invalid_announce_is_rejected_and_counted()
    {
        var chain = TestBlocks.Chain(11);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..10]);
        net.Send(Miner, Me, new Announce(chain[10] with { Hash = new string('1', 64) }));
        net.Send(Miner, Me, new Announce(chain[10] with { Nonce = new string('1', 41) }));
        net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(10, node.Chain.Count);
        Assert.Equal(2, node.Counters.InvalidBlocks);
        Assert.Null(node.Download);
    }

    [Fact]
    public void Announce_at_our_height_on_another_parent_fetches_that_branch_and_switches_to_it()
    {
        var ours = TestBlocks.Chain(10, "ours");
        var theirs = TestBlocks.Extend(ours[..8], 3, "theirs");
        var net = new TestNetwork();
        var node = net.AddNode(Me, ours);
        net.AddServer(Miner, theirs);
        net.Send(Miner, Me, new Announce(theirs[10]));
        net.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(theirs[^1].Hash, node.Chain.TopHash);
        Assert.Equal(0, node.Counters.InvalidBlocks);
        var fetched = net.Delivered.Where(d => d.Message is GetBlock).Select(d => ((GetBlock)d.Message!).Height!.Value).ToList();
        Assert.True(fetched.All(h => h >= 7), $"fetched {string.Join(", ", fetched)}");
    }

    [Fact]
    public void Forged_announce_at_our_height_costs_a_few_requests_and_does_not_frame_its_named_sender()
    {
        var chain = TestBlocks.Chain(11);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..10]);
        net.AddServer(Miner, chain[..10]);
        var forged = chain[10] with { Messages = ["forged"] };
        net.Send(Miner, Me, new Announce(forged));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(chain[9].Hash, node.Chain.TopHash);
        Assert.InRange(net.Delivered.Count(d => d.Message is GetBlock), 1, 8);
        Assert.False(node.IsMisbehaving(Miner));
        net.Delivered.Clear();
        net.Send(Miner, Me, new Announce(forged));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(net.Delivered, d => d.Message is GetBlock);
    }

    [Fact]
    public void Announce_ahead_fetches_only_the_gap()
    {
        var chain = TestBlocks.Chain(14);
        var net = new TestNetwork();
        var node = net.AddNode(Me, chain[..10]);
        net.AddServer(Miner, chain);
        net.Send(Miner, Me, new Announce(chain[13]));
        net.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(14, node.Chain.Count);
        var fetched = net.Delivered.Where(d => d.Message is GetBlock).Select(d => ((GetBlock)d.Message!).Height).Order().ToList();
        Assert.Equal([9L, 10, 11, 12], fetched);
    }

    [Fact]
    public void Announce_during_a_sync_is_applied_after_it()
    {
        var chain = TestBlocks.Chain(301);
        var net = new TestNetwork();
        var node = net.NodeMidSync(Me, chain[..300]);
        net.Send(Miner, Me, new Announce(chain[300]));
        net.Run(TimeSpan.FromSeconds(10));
        Assert.True(node.Chain.Count == 301, net.Log.ToString());
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
    }
}
