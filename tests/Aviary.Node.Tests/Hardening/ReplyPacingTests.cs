using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

/// <summary>A peer that re-asks for what we just answered (its socket dropped our burst) is served at a pace that falls and recovers.</summary>
public sealed class ReplyPacingTests
{
    private static readonly PeerAddress Slow = new("10.1.2.3", 8999);

    private static TestNode ProvenNode(out IReadOnlyList<Block> chain)
    {
        chain = TestBlocks.Chain(600);
        var node = new TestNode(chain: chain);
        node.Prove(Slow);
        return node;
    }

    private static void AskAll(TestNode node, int from, int to)
    {
        for (var h = from; h < to; h++)
        {
            node.Receive(Slow, new GetBlock(h));
        }
    }

    [Fact]
    public void A_first_burst_is_answered_at_once()
    {
        var node = ProvenNode(out _);
        AskAll(node, 0, 500);
        Assert.Equal(500, node.Transport.Of<GetBlockReply>().Count);
        Assert.Null(node.Core.Pacer.RateOf(Slow));
    }

    [Fact]
    public void Re_asks_for_a_dropped_burst_engage_pacing_and_every_height_is_answered_at_the_pace()
    {
        var node = ProvenNode(out var chain);
        var limits = node.Options.Pacing;
        AskAll(node, 0, 500);
        node.Transport.Clear();

        // Ten seconds later it asks for all of them again: its socket dropped most of our burst.
        node.Advance(TimeSpan.FromSeconds(10));
        AskAll(node, 0, 500);
        Assert.Equal(limits.StartRate, node.Core.Pacer.RateOf(Slow));
        var atOnce = node.Transport.Of<GetBlockReply>().Count;
        Assert.InRange(atOnce, limits.MinReasks, limits.MinReasks + (int)limits.Burst);

        // The rest follow at the pace: about StartRate a second, none twice, all of them in the end.
        node.Advance(TimeSpan.FromMilliseconds(500));
        Assert.InRange(node.Transport.Of<GetBlockReply>().Count - atOnce, (limits.StartRate / 2) - limits.Burst - 1, (limits.StartRate / 2) + limits.Burst + 1);
        node.Advance(TimeSpan.FromSeconds(2));
        var heights = node.Transport.Of<GetBlockReply>().Select(r => r.Message.Block!.Height).ToList();
        Assert.Equal(Enumerable.Range(0, 500).Select(h => (long)h), heights.Order());
        Assert.Equal(chain.Take(500).Select(b => b.Hash), node.Transport.Of<GetBlockReply>().OrderBy(r => r.Message.Block!.Height).Select(r => r.Message.Block!.Hash));
        Assert.True(node.Core.Counters.RepliesPaced > 400);
    }

    [Fact]
    public void Further_rounds_of_re_asks_halve_the_pace_and_calm_rounds_grow_it_back_until_it_is_released()
    {
        var node = ProvenNode(out _);
        var limits = node.Options.Pacing;
        AskAll(node, 0, 500);
        node.Advance(TimeSpan.FromSeconds(10));
        AskAll(node, 0, 500);
        node.Advance(TimeSpan.FromSeconds(2));

        // It lost even the paced replies: the next round of re-asks halves the pace.
        AskAll(node, 0, 100);
        node.Advance(TimeSpan.FromSeconds(1));
        node.Receive(Slow, new GetBlock(550));
        Assert.Equal(limits.StartRate / 2, node.Core.Pacer.RateOf(Slow));

        // It keeps up from now on: one new height a round, the pace grows by a step each round.
        var rounds = 0;
        while (node.Core.Pacer.RateOf(Slow) is not null)
        {
            node.Advance(TimeSpan.FromSeconds(1));
            node.Receive(Slow, new GetBlock(500 + (rounds % 100)));
            rounds++;
            Assert.True(rounds < 100, "pacing never released");
        }

        Assert.Equal((int)Math.Ceiling((limits.ReleaseRate - (limits.StartRate / 2)) / limits.Increase), rounds);
    }

    [Fact]
    public void Random_loss_of_a_few_requests_never_engages_pacing()
    {
        var node = ProvenNode(out _);
        AskAll(node, 0, 500);
        node.Advance(TimeSpan.FromMilliseconds(200));

        // A fast peer that lost one reply in ten asks those again beside new heights.
        for (var h = 0; h < 500; h += 10)
        {
            node.Receive(Slow, new GetBlock(h));
        }

        AskAll(node, 500, 600);
        Assert.Null(node.Core.Pacer.RateOf(Slow));
        Assert.Equal(650, node.Transport.Of<GetBlockReply>().Count);
    }

    [Fact]
    public void Heights_we_do_not_hold_are_answered_at_once_and_are_never_re_asks()
    {
        var node = ProvenNode(out _);
        for (var round = 0; round < 3; round++)
        {
            for (var h = 600; h < 700; h++)
            {
                node.Receive(Slow, new GetBlock(h));
            }

            node.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(node.Core.Pacer.RateOf(Slow));
        Assert.Equal(300, node.Transport.Of<GetBlockReply>().Count(r => r.Message.Block is null));
    }
}
