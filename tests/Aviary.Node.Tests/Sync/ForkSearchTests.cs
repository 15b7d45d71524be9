using Aviary.Node.Sync;
using Aviary.Protocol;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class ForkSearchTests
{
    /// <summary>Runs a search against <paramref name="theirs"/>, returning the heights probed and the fork found.</summary>
    private static (List<long> Probes, long Fork) Search(ForkSearch search, IReadOnlyList<Block> theirs)
    {
        var probes = new List<long>();
        var next = search.FirstProbe();
        while (next is { } h)
        {
            Assert.True(probes.Count < 64, "the search did not end");
            probes.Add(h);
            var step = search.OnProbe(h, theirs[(int)h].Hash);
            if (step.Fork is { } fork)
            {
                return (probes, fork);
            }

            next = step.NextProbe;
        }

        return (probes, 0);
    }

    [Fact]
    public void An_empty_chain_has_nothing_to_compare_and_forks_at_zero()
    {
        var search = new ForkSearch(Local([]), 10);
        Assert.Null(search.FirstProbe());
    }

    [Fact]
    public void A_claim_that_extends_ours_is_found_with_one_probe_at_our_top()
    {
        var ours = TestBlocks.Chain(50);
        var theirs = TestBlocks.Extend(ours, 10);
        var (probes, fork) = Search(new ForkSearch(Local(ours), theirs.Count), theirs);
        Assert.Equal([49L], probes);
        Assert.Equal(50, fork);
    }

    [Fact]
    public void The_search_gallops_down_from_the_top_then_bisects()
    {
        var common = TestBlocks.Chain(40);
        var ours = TestBlocks.Extend(common, 60, "ours");
        var theirs = TestBlocks.Extend(common, 70, "theirs");
        var (probes, fork) = Search(new ForkSearch(Local(ours), theirs.Count), theirs);
        Assert.Equal(40, fork);
        Assert.Equal([99L, 97, 93, 85, 69, 37, 53, 45, 41, 39, 40], probes);
    }

    [Fact]
    public void A_saved_branch_counts_as_ours_above_its_fork_point()
    {
        var common = TestBlocks.Chain(30);
        var ours = TestBlocks.Extend(common, 5, "ours");
        var theirs = TestBlocks.Extend(common, 40, "theirs");
        var saved = new SavedBranch(30, common[^1].Hash, theirs.Skip(30).Take(20).ToList());
        var search = new ForkSearch(Local(ours), theirs.Count) { Resume = saved };
        Assert.Same(saved, search.Resume);
        var (probes, fork) = Search(search, theirs);
        Assert.Equal([49L], probes);
        Assert.Equal(50, fork);
    }

    [Fact]
    public void A_saved_branch_that_no_longer_fits_our_chain_is_dropped()
    {
        var ours = TestBlocks.Chain(30);
        var other = TestBlocks.Chain(40, "other");
        var search = new ForkSearch(Local(ours), 40) { Resume = new SavedBranch(10, other[9].Hash, other.Skip(10).ToList()) };
        Assert.Null(search.Resume);
    }
}
