using Aviary.Node.Sync;
using Aviary.Protocol;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class BranchVerifierTests
{
    private static readonly List<Block> Theirs = TestBlocks.Chain(30, "theirs");

    private static BranchVerifier Verifier(int own, SyncLimits? limits = null, ChainClaim? claim = null)
    {
        var verifier = new BranchVerifier(Local(Theirs.Take(own)), limits ?? new SyncLimits(), claim ?? new ChainClaim(Theirs.Count, Theirs[^1].Hash), Now);
        verifier.Begin(own, null, Now);
        return verifier;
    }

    [Fact]
    public void Blocks_arriving_out_of_order_are_verified_in_height_order()
    {
        var verifier = Verifier(20);
        var peer = Peer(1);
        verifier.Hold(22, Theirs[22], peer);
        verifier.Hold(21, Theirs[21], peer);
        Assert.Equal(Verification.Waiting, verifier.Advance(Now));
        Assert.Equal(20, verifier.Next);
        verifier.Hold(20, Theirs[20], peer);
        Assert.Equal(Verification.Waiting, verifier.Advance(Now.AddSeconds(1)));
        Assert.Equal(23, verifier.Next);
        Assert.Equal(Theirs.Skip(20).Take(3), verifier.Branch);
        Assert.Same(peer, verifier.TipServer);
        Assert.Equal(Now.AddSeconds(1), verifier.LastProgress);
        Assert.Empty(verifier.Check(fetching: true));
    }

    [Fact]
    public void A_block_that_does_not_link_is_dropped_and_reported_with_its_server()
    {
        var verifier = Verifier(20);
        var other = TestBlocks.Chain(30, "other");
        var peer = Peer(2);
        verifier.Hold(20, other[20], peer);
        Assert.Equal(Verification.Unlinked, verifier.Advance(Now));
        Assert.Same(other[20], verifier.Rejected.Block);
        Assert.Same(peer, verifier.Rejected.Peer);
        Assert.False(verifier.Holds(20));
        Assert.True(verifier.Wants(20));
    }

    [Fact]
    public void The_claimed_top_completes_the_branch_and_another_top_is_wrong()
    {
        var verifier = Verifier(28);
        verifier.Hold(28, Theirs[28], null);
        verifier.Hold(29, Theirs[29], null);
        Assert.Equal(Verification.Complete, verifier.Advance(Now));

        var lying = Verifier(28, claim: new ChainClaim(Theirs.Count, new string('f', 64)));
        lying.Hold(28, Theirs[28], null);
        lying.Hold(29, Theirs[29], null);
        Assert.Equal(Verification.Waiting, lying.Advance(Now)); // one more block, for a peer that reports its top index
        Assert.Equal(31, lying.End);
    }

    [Fact]
    public void A_claim_of_the_top_index_instead_of_the_count_is_fetched_one_block_further()
    {
        var verifier = Verifier(27, claim: new ChainClaim(29, Theirs[29].Hash));
        verifier.Hold(27, Theirs[27], null);
        verifier.Hold(28, Theirs[28], null);
        Assert.Equal(Verification.Waiting, verifier.Advance(Now));
        verifier.Hold(29, Theirs[29], null);
        Assert.Equal(Verification.Complete, verifier.Advance(Now));
        Assert.Equal(30, verifier.Next);
    }

    [Fact]
    public void Taking_the_tip_back_reopens_its_height()
    {
        var verifier = Verifier(20);
        var peer = Peer(1);
        verifier.Hold(20, Theirs[20], null);
        verifier.Hold(21, Theirs[21], peer);
        verifier.Advance(Now);
        Assert.False(verifier.TipIsOurs(22));
        Assert.Equal(21, verifier.TakeBackTip());
        Assert.Equal(21, verifier.Next);
        Assert.Null(verifier.TipServer);
        Assert.Equal(Theirs[20].Hash, verifier.TipHash);
        Assert.Empty(verifier.Check(fetching: true));
    }

    [Fact]
    public void Batches_are_ready_at_the_batch_size_or_when_the_download_is_over()
    {
        var verifier = Verifier(20, new SyncLimits { CommitBatch = 3 });
        verifier.Hold(20, Theirs[20], null);
        verifier.Hold(21, Theirs[21], null);
        verifier.Advance(Now);
        Assert.False(verifier.BatchReady(finished: false));
        Assert.True(verifier.BatchReady(finished: true));
        verifier.Hold(22, Theirs[22], null);
        verifier.Advance(Now);
        Assert.True(verifier.BatchReady(finished: false));
        Assert.Equal(Theirs.Skip(20).Take(3), verifier.TakeBatch());
        Assert.Equal(23, verifier.BranchStart);
        Assert.Empty(verifier.Branch);
        Assert.True(verifier.TipIsOurs(23));
        Assert.Empty(verifier.Check(fetching: true));
    }

    [Fact]
    public void Offered_blocks_are_taken_only_within_the_window_and_while_the_buffer_has_room()
    {
        var verifier = Verifier(10, new SyncLimits { Window = 2 });
        Assert.False(verifier.Offer(Theirs[9], fetching: true));  // verified already
        Assert.False(verifier.Offer(Theirs[12], fetching: true)); // past the window
        Assert.True(verifier.Offer(Theirs[11], fetching: true));
        Assert.False(verifier.Offer(Theirs[11], fetching: true)); // held already
        Assert.True(verifier.Offer(Theirs[10], fetching: true));
        Assert.Equal(2, verifier.BufferedCount);
        Assert.False(verifier.HeldFromPeer(10));
    }

    [Fact]
    public void Beginning_drops_blocks_buffered_below_the_fork()
    {
        var verifier = new BranchVerifier(Local(Theirs.Take(20)), new SyncLimits(), new ChainClaim(Theirs.Count, Theirs[^1].Hash), Now);
        verifier.Hold(15, Theirs[15], Peer(1));
        verifier.Hold(25, Theirs[25], Peer(1));
        verifier.Begin(20, null, Now);
        Assert.Equal((1, 20L, 20L), (verifier.BufferedCount, verifier.ForkHeight, verifier.Next));
        Assert.Equal(Theirs[19].Hash, verifier.TipHash);
    }
}
