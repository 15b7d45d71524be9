using Aviary.Node.Core;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>
/// Peers on a network of lower difficulty: their blocks break no rule but ours. The node says what
/// they have, what it requires and how to change it, and does not brand them misbehaving for it.
/// </summary>
public sealed class DifficultyHintTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);

    private static PeerAddress P(int i) => new($"127.0.0.{10 + i}", 8000 + i);

    private static NodeOptions Options(int difficulty) =>
        new() { Name = "me", AdvertisedHost = Me.Host, Port = Me.Port, Difficulty = difficulty, Id = "me" };

    /// <summary>A chain at difficulty 1 whose blocks end in exactly one zero, except the top, which meets <paramref name="topDifficulty"/>.</summary>
    private static List<Block> LowChain(int count, int topDifficulty)
    {
        var blocks = new List<Block>();
        for (var salt = 0; blocks.Count < count; salt++)
        {
            var previous = blocks.Count == 0 ? null : blocks[^1];
            var top = blocks.Count == count - 1;
            var block = TestBlocks.Mine(previous, "low", [$"w{blocks.Count}", $"s{salt}"], 1_700_000_000 + blocks.Count, top ? topDifficulty : 1);
            if (top || Hex.TrailingZeros(block.Hash) == 1)
            {
                blocks.Add(block);
            }
        }

        return blocks;
    }

    private static void Join(TestNetwork net, NodeCore node, params PeerAddress[] peers)
    {
        foreach (var p in peers)
        {
            net.Send(p, node.Self, new GossipReply(p.Host, p.Port, p.ToString()));
        }
    }

    [Fact]
    public void Claims_below_our_difficulty_get_a_hint_with_the_flag()
    {
        var chain = LowChain(10, topDifficulty: 1);
        var net = new TestNetwork();
        var node = net.AddNode(Me, [], Options(2));
        net.AddServer(P(1), chain);
        node.Start();
        Join(net, node, P(1));
        net.Run(TimeSpan.FromSeconds(10));

        Assert.Equal(0, node.Chain.Count);
        Assert.False(node.IsMisbehaving(P(1)));
        var hint = Assert.Single(net.Log.Lines, l => l.Contains("below our difficulty", StringComparison.Ordinal));
        Assert.Contains($"{P(1)} has blocks below our difficulty: block 9 ends in 1 zeros, this node requires 2", hint, StringComparison.Ordinal);
        Assert.Contains("restart with --difficulty", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_failing_only_the_difficulty_leave_the_peer_out_unbranded_with_a_hint()
    {
        // The top meets our difficulty, so the claim is fetched; the blocks under it do not.
        var chain = LowChain(10, topDifficulty: 2);
        var net = new TestNetwork();
        var node = net.AddNode(Me, [], Options(2));
        net.AddServer(P(1), chain);
        node.Start();
        Join(net, node, P(1));
        net.Run(TimeSpan.FromSeconds(10));

        Assert.Equal(0, node.Chain.Count);
        Assert.False(node.IsMisbehaving(P(1)));
        Assert.Contains(net.Log.Lines, l => l.Contains($"{P(1)} has blocks below our difficulty: block 0 ends in 1 zeros, this node requires 2", StringComparison.Ordinal));
        Assert.DoesNotContain(net.Log.Lines, l => l.Contains("misbehaved", StringComparison.Ordinal));
    }

    [Fact]
    public void A_block_breaking_another_rule_still_brands_the_peer()
    {
        var chain = TestBlocks.Chain(10);
        chain[4] = chain[4] with { Messages = [] };
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        net.AddServer(P(1), chain);
        node.Start();
        Join(net, node, P(1));
        net.Run(TimeSpan.FromSeconds(10));

        Assert.True(node.IsMisbehaving(P(1)));
        Assert.DoesNotContain(net.Log.Lines, l => l.Contains("below our difficulty", StringComparison.Ordinal));
    }
}
