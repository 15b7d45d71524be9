using Aviary.Chain;

namespace Aviary.Web.Tests;

/// <summary>The blocks-per-miner table follows appends and reorgs without recounting the chain.</summary>
public sealed class ChainWatchTests
{
    [Fact]
    public void Counts_follow_appends_and_reorgs()
    {
        var common = LiveNode.Mine(5, "alice");
        var chain = new LocalChain(new InMemoryChainStore(), LiveNode.Difficulty);
        Assert.True(chain.TryAdopt(0, common).IsValid);
        var watch = new ChainWatch();
        watch.Attach(chain);
        Assert.Equal([new MinerCount("alice", 5)], watch.Leaders());

        var ours = LiveNode.Mine(3, "bob", common);
        foreach (var b in ours.Skip(5))
        {
            Assert.True(chain.TryAppend(b).IsValid);
        }

        Assert.Equal([new MinerCount("alice", 5), new MinerCount("bob", 3)], watch.Leaders());
        var before = watch.Version;

        // A longer branch from height 3 by carol replaces two of alice's blocks and all of bob's.
        var branch = LiveNode.Mine(6, "carol", common[..3]);
        Assert.True(chain.TryAdopt(3, branch[3..]).IsValid);
        Assert.Equal([new MinerCount("carol", 6), new MinerCount("alice", 3)], watch.Leaders());
        Assert.Equal(2, watch.DistinctMiners);
        Assert.Equal(before + 1, watch.Version);
        Assert.True(watch.WaitForChangeAsync(before, CancellationToken.None).IsCompleted);
        Assert.False(watch.WaitForChangeAsync(watch.Version, CancellationToken.None).IsCompleted);
    }
}
