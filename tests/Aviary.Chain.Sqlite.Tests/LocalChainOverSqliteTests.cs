using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>LocalChain mirrors appends and reorgs into the SQLite store and gets them back on restart.</summary>
public sealed class LocalChainOverSqliteTests
{
    private const int Difficulty = 2;

    [Fact]
    public void Appends_and_reorg_survive_reopen()
    {
        var main = TestChains.Mine(8, Difficulty);
        var branch = TestChains.Mine(6, Difficulty, parent: main[3], minedBy: "rival");
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            var chain = new LocalChain(store, Difficulty);
            foreach (var block in main)
            {
                Assert.True(chain.TryAppend(block).IsValid);
            }

            Assert.True(chain.TryAdopt(4, branch).IsValid);
            Assert.Equal(10, chain.Count);
        }

        using var reopened = temp.Open();
        var restarted = new LocalChain(reopened, Difficulty);
        Assert.Equal(10, restarted.Count);
        Assert.Equal(branch[^1].Hash, restarted.TopHash);
        Assert.Equal([.. main[..4], .. branch], restarted.Range(0, 100));
        Assert.Equal(string.Empty, reopened.LoadReport);
    }

    [Fact]
    public void Rejected_blocks_and_branches_never_reach_the_store()
    {
        var main = TestChains.Mine(5, Difficulty);
        var branch = TestChains.Mine(4, Difficulty, parent: main[1], minedBy: "rival");
        List<Block> badBranch = [.. branch];
        badBranch[2] = badBranch[2] with { Nonce = "forged" };
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            var chain = new LocalChain(store, Difficulty);
            foreach (var block in main)
            {
                chain.TryAppend(block);
            }

            Assert.False(chain.TryAppend(main[2]).IsValid);
            Assert.Equal(BlockRule.HashMismatch, chain.TryAdopt(2, badBranch).Rule);
            Assert.Equal(5, store.Count);
        }

        using var reopened = temp.Open();
        Assert.Equal(main, new LocalChain(reopened, Difficulty).Range(0, 100));
    }
}
