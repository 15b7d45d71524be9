using Aviary.Chain;
using Aviary.Node.Mining;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Mining;

/// <summary>Blocks per miner over our chain, kept up to date as the chain grows and reorganises.</summary>
public sealed class MinerTallyTests
{
    [Fact]
    public void Counts_follow_appends_and_a_reorg_replaces_the_counts_of_the_blocks_it_replaced()
    {
        var chain = TestBlocks.Chain(3, "alice");
        chain = TestBlocks.Extend(chain, 2, "bob");
        var node = new TestNode(chain: chain);
        Assert.Equal(new Dictionary<string, long> { ["alice"] = 3, ["bob"] = 2 }, node.Core.MinerTally.ByMiner);

        var longer = TestBlocks.Extend(chain[..3], 3, "carol");
        Assert.True(node.Core.Chain.TryAdopt(3, longer[3..]).IsValid);
        Assert.Equal(new Dictionary<string, long> { ["alice"] = 3, ["carol"] = 3 }, node.Core.MinerTally.ByMiner);

        node.Receive(new PeerAddress("127.0.0.9", 8009), new Announce(TestBlocks.Extend(longer, 1, "alice")[^1]));
        Assert.Equal(4, node.Core.MinerTally.ByMiner["alice"]);
        Assert.Equal(7, node.Core.MinerTally.Blocks);
    }

    [Fact]
    public void Names_past_the_cap_are_summed_as_others_and_a_freed_name_makes_room()
    {
        var blocks = new List<Block>();
        for (var i = 0; i <= MinerTally.MaxNames + 1; i++)
        {
            blocks.Add(TestBlocks.Mine(blocks.Count == 0 ? null : blocks[^1], $"miner{i}", ["w"], 1_700_000_000 + i));
        }

        var chain = new LocalChain(new InMemoryChainStore(), TestBlocks.Difficulty);
        var tally = new MinerTally();
        Assert.True(chain.TryAdopt(0, blocks).IsValid);
        tally.Update(chain, 0);
        Assert.Equal(MinerTally.MaxNames, tally.ByMiner.Count);
        Assert.Equal(2, tally.Others);
        Assert.False(tally.ByMiner.ContainsKey($"miner{MinerTally.MaxNames}"));

        // Replace the top three blocks (two "others" and miner999) with blocks by a new name.
        var fork = blocks.Count - 3;
        var branch = TestBlocks.Extend(blocks[..fork], 4, "newcomer")[fork..];
        Assert.True(chain.TryAdopt(fork, branch).IsValid);
        tally.Update(chain, fork);
        Assert.Equal(0, tally.Others);
        Assert.Equal(4, tally.ByMiner["newcomer"]);
        Assert.False(tally.ByMiner.ContainsKey($"miner{fork}"));
        Assert.Equal(chain.Count, tally.ByMiner.Values.Sum() + tally.Others);
    }
}
