using Aviary.Chain;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>
/// Core bugs the simulator found (issue "Deterministic network simulation"), each named after the
/// seed that showed it: <c>aviary sim --seed S</c> replays the scenario; these pin the core's part.
/// </summary>
public sealed class SimulationSeedTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static PeerAddress P(int i) => new($"127.0.0.{10 + i}", 8000 + i);

    /// <summary>
    /// Seed 91: the only node holding the best chain (quirk: replies from another port) was never
    /// counted in consensus, because its STATS_REPLY came from an address we had not asked; 19 of 20
    /// honest nodes settled on a shorter fork.
    /// </summary>
    [Fact]
    public void Seed91_a_STATS_REPLY_from_another_port_counts_for_the_peer_asked()
    {
        var ours = TestBlocks.Chain(20);
        var best = TestBlocks.Extend(ours, 20, "best");
        var net = new TestNetwork();
        var node = net.AddNode(Me, ours);
        net.AddServer(P(1), best);
        net.RepliesFrom[P(1)] = P(1) with { Port = P(1).Port + 1000 };
        node.Start();
        net.Send(P(1), Me, new GossipReply(P(1).Host, P(1).Port, "p1"));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(best[^1].Hash, node.Chain.TopHash);
        Assert.False(node.IsMisbehaving(P(1)));
    }

    /// <summary>
    /// Seed 91: a download after an ANNOUNCE asks the announcer (the claimer) and every other peer
    /// (helpers). Helpers on another chain answered the next height three times with blocks that did
    /// not link to the claimer's block, and the claimer was blamed and dropped: the download stalled.
    /// A claimer now outweighs helpers; the disagreeing helpers are left out, not reported.
    /// </summary>
    [Fact]
    public void Seed91_helpers_on_another_chain_cannot_outvote_the_claimer()
    {
        var a = TestBlocks.Chain(130, "a");
        var b = TestBlocks.Extend(a.Take(100).ToList(), 30, "b");
        var (download, _) = Fetching(a, ownPrefix: 100, claimer: P(1), helpers: [P(2), P(3), P(4)]);
        download.OnBlock(P(1), a[100], Now);
        Assert.Equal(101, download.VerifiedHeight);
        foreach (var helper in new[] { P(2), P(3), P(4) })
        {
            download.OnBlock(helper, b[101], Now);
        }

        Assert.Equal(101, download.VerifiedHeight);
        Assert.Empty(download.Misbehaving);
        Assert.All(download.Peers.Where(p => !p.Claimed), p => Assert.True(p.Excluded));
        for (var h = 101; h < 130; h++)
        {
            download.OnBlock(P(1), a[h], Now);
        }

        Assert.Equal(DownloadPhase.Complete, download.Phase);
    }

    /// <summary>
    /// Seed 16: a helper holding our own chain answered the fork search, so the search "matched" too
    /// high; every block above that point then failed to link and all claimers were blamed. The fork
    /// search now asks, and believes, only the peers that claimed the chain.
    /// </summary>
    [Fact]
    public void Seed16_the_fork_search_asks_and_believes_only_claimers()
    {
        var common = TestBlocks.Chain(240);
        var ours = TestBlocks.Extend(common, 30, "ours");
        var theirs = TestBlocks.Extend(common, 62, "theirs");
        var sent = new List<(PeerAddress Peer, long Height)>();
        var chain = new LocalChain(Store(ours), TestBlocks.Difficulty);
        var download = new BlockDownload(new ChainClaim(theirs.Count, theirs[^1].Hash), [P(1)], [P(2)], chain, new SyncLimits(), Now, (p, h) => sent.Add((p, h)));
        download.Start(Now);
        var probes = 0;
        while (download.Phase == DownloadPhase.ForkSearch)
        {
            Assert.True(++probes < 20, "the fork search did not end");
            var (peer, h) = sent[^1];
            Assert.Equal(P(1), peer);
            download.OnBlock(P(2), ours[(int)h], Now); // the helper's block matches ours: ignored
            download.OnBlock(P(1), theirs[(int)h], Now);
        }

        Assert.Equal(240, download.ForkHeight);
    }

    /// <summary>
    /// Seed 16: blocks offered by ANNOUNCE during a download (here an invalid-chain server's) were
    /// counted as answers disagreeing with the verified tip; three of them took the tip back and
    /// blamed the honest peer that served it. An offered block now says nothing about the tip.
    /// </summary>
    [Fact]
    public void Seed16_offered_blocks_that_do_not_link_never_blame_the_tip()
    {
        var a = TestBlocks.Chain(110, "a");
        var b = TestBlocks.Extend(a.Take(100).ToList(), 10, "b");
        var (download, _) = Fetching(a, ownPrefix: 100, claimer: P(1), helpers: []);
        download.OnBlock(P(1), a[100], Now);
        for (var i = 0; i < 3; i++)
        {
            download.Offer(b[101] with { Messages = [$"junk {i}"] }, Now);
            download.Offer(b[101], Now);
        }

        Assert.Empty(download.Misbehaving);
        Assert.Equal(101, download.VerifiedHeight);
        for (var h = 101; h < 110; h++)
        {
            download.OnBlock(P(1), a[h], Now);
        }

        Assert.Equal(DownloadPhase.Complete, download.Phase);
    }

    /// <summary>A download of <paramref name="target"/> by a node holding its first <paramref name="ownPrefix"/> blocks, past the fork search.</summary>
    private static (BlockDownload Download, List<(PeerAddress, long)> Sent) Fetching(List<Block> target, int ownPrefix, PeerAddress claimer, PeerAddress[] helpers)
    {
        var sent = new List<(PeerAddress, long)>();
        var chain = new LocalChain(Store(target.Take(ownPrefix).ToList()), TestBlocks.Difficulty);
        var download = new BlockDownload(new ChainClaim(target.Count, target[^1].Hash), [claimer], helpers, chain, new SyncLimits(), Now, (p, h) => sent.Add((p, h)));
        download.Start(Now);
        download.OnBlock(claimer, target[ownPrefix - 1], Now);
        Assert.Equal(DownloadPhase.Fetch, download.Phase);
        Assert.Equal(ownPrefix, download.ForkHeight);
        return (download, sent);
    }

    private static InMemoryChainStore Store(List<Block> blocks)
    {
        var store = new InMemoryChainStore();
        store.Append(blocks);
        return store;
    }
}
