using Aviary.Chain;
using Aviary.Node.Sync;
using Aviary.Protocol;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class DownloadBlameTests
{
    private static readonly List<Block> Theirs = TestBlocks.Chain(30, "theirs");
    private static readonly List<Block> Other = TestBlocks.Chain(30, "other");
    private static readonly BlockVerdict Mismatch = new(BlockRule.HashMismatch, "does not link");

    private readonly List<(string Why, bool ProvenInvalid)> failures = [];
    private readonly List<(PeerAddress Peer, string Why)> left = [];

    private (DownloadBlame Blame, HeightRequests Requests, BranchVerifier Verifier) Blame(params DownloadPeer[] peers)
    {
        var claim = new ChainClaim(Theirs.Count, Theirs[^1].Hash);
        var requests = new HeightRequests((_, _) => { });
        var verifier = new BranchVerifier(Local(Theirs.Take(20)), new SyncLimits(), claim, Now);
        verifier.Begin(20, null, Now);
        var blame = new DownloadBlame(claim, peers, requests, verifier, () => false, (why, invalid) => failures.Add((why, invalid)));
        blame.PeerLeft += (p, why) => left.Add((p, why));
        return (blame, requests, verifier);
    }

    [Fact]
    public void A_claimer_that_serves_a_bad_block_is_reported_and_its_requests_go_back_to_the_queue()
    {
        var liar = Peer(1);
        var honest = Peer(2);
        var (blame, requests, _) = Blame(liar, honest);
        requests.Send(liar, 21, 1, Now);
        blame.Penalize(liar, "block 20: bad");
        Assert.True(liar.Excluded);
        Assert.Equal(new[] { P(1) }, blame.Verdicts.Misbehaving);
        Assert.Equal((0, 1), (requests.Count, requests.RetryCount));
        Assert.Single(left);
        Assert.Empty(failures);
    }

    [Fact]
    public void A_helper_that_serves_another_chain_is_only_left_out()
    {
        var helper = Peer(1, claimed: false);
        var (blame, _, _) = Blame(helper, Peer(2));
        blame.Fault(helper, "block 20: another chain");
        Assert.True(helper.Excluded);
        Assert.Empty(blame.Verdicts.Misbehaving);
        Assert.Equal(VerdictKind.LeftOut, blame.Verdicts.All.Single().Kind);
    }

    [Fact]
    public void When_every_claimer_misbehaved_the_claim_is_proven_invalid()
    {
        var peers = new[] { Peer(1), Peer(2) };
        var (blame, _, _) = Blame(peers);
        blame.Fault(peers[0], "x");
        Assert.Empty(failures);
        blame.Fault(peers[1], "y");
        Assert.True(failures.Single().ProvenInvalid);
    }

    [Fact]
    public void A_block_that_does_not_link_on_our_own_chain_blames_its_server()
    {
        var server = Peer(1);
        var (blame, requests, _) = Blame(server, Peer(2));
        blame.OnUnlinked(Other[20], server, Mismatch);
        Assert.Equal(new[] { P(1) }, blame.Verdicts.Misbehaving);
        Assert.Equal(1, requests.RetryCount);
    }

    [Fact]
    public void An_offered_block_that_does_not_link_blames_nobody()
    {
        var (blame, requests, _) = Blame(Peer(1));
        blame.OnUnlinked(Other[20], null, Mismatch);
        Assert.Empty(blame.Verdicts.All);
        Assert.Equal(1, requests.RetryCount);
    }

    [Fact]
    public void Three_answers_that_disagree_with_another_peers_tip_take_the_tip_back()
    {
        var tipServer = Peer(1);
        var others = new[] { Peer(2), Peer(3), Peer(4) };
        var (blame, _, verifier) = Blame([tipServer, .. others]);
        verifier.Hold(20, Theirs[20], tipServer);
        verifier.Advance(Now);
        foreach (var peer in others)
        {
            blame.OnUnlinked(Other[21], peer, Mismatch);
        }

        Assert.Equal(20, verifier.Next);
        Assert.Equal(new[] { P(1) }, blame.Verdicts.Misbehaving);
    }
}
