using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>
/// Between consensus rounds the node refreshes its peers' claims (height @ hash) with one STATS every
/// <see cref="NodeOptions.StatsRefreshInterval"/>, so what a status page shows is never much older.
/// </summary>
public sealed class StatsRefreshTests
{
    private static readonly PeerAddress Peer = new("127.0.0.2", 8999);

    /// <summary>Our chain: the peer's claims stay below it, so no answer starts a download (only the claims are watched here).</summary>
    private static readonly IReadOnlyList<Block> Ours = TestBlocks.Chain(20);
    // Claims that meet the difficulty (a round counts no other), below our height (none starts a download).
    private static readonly string HashA = new string('a', 56) + "00000000";
    private static readonly string HashB = new string('b', 56) + "00000000";

    [Fact]
    public void A_peer_is_asked_for_stats_every_interval_and_its_claim_follows_its_answers()
    {
        var node = Started();
        Assert.Single(node.Transport.Of<Stats>(), s => s.To == Peer);
        node.Receive(Peer, new StatsReply(5, HashA));
        node.Transport.Clear();

        // Only the refresh asks between rounds: one STATS every 10 s, and each answer is the claim shown.
        for (var i = 1; i <= 6; i++)
        {
            node.Advance(TimeSpan.FromSeconds(10));
            Assert.Single(node.Transport.Of<Stats>(), s => s.To == Peer);
            node.Transport.Clear();
            node.Receive(Peer, new StatsReply(5 + i, i % 2 == 0 ? HashA : HashB));
            var shown = Assert.Single(node.Core.Snapshot().Peers);
            Assert.Equal(5 + i, shown.Height);
            Assert.Equal(node.Clock.GetUtcNow(), shown.StatsAt);
        }
    }

    [Fact]
    public void A_reply_from_another_socket_of_the_asked_host_updates_the_peer()
    {
        var node = Started();
        node.Receive(Peer, new StatsReply(5, HashA));
        node.Advance(TimeSpan.FromSeconds(10));

        // Real peers answer from another socket (protocol.md §11): the only peer asked on that host.
        node.Receive(new PeerAddress(Peer.Host, 40123), new StatsReply(9, HashB));
        var shown = Assert.Single(node.Core.Snapshot().Peers);
        Assert.Equal(9, shown.Height);
        Assert.Equal(HashB, shown.TopHash);
    }

    [Fact]
    public void A_peer_that_answered_recently_is_not_asked_again_and_zero_turns_the_refresh_off()
    {
        var node = Started();
        node.Receive(Peer, new StatsReply(5, HashA));
        node.Transport.Clear();
        node.Advance(TimeSpan.FromSeconds(6));
        node.Receive(Peer, new StatsReply(6, HashA));
        node.Transport.Clear();

        // It answered 4 s before the refresh at 10 s (under half the interval): not asked then.
        node.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(node.Transport.Of<Stats>());

        // Off: after the joining round, nothing asks until the periodic consensus round at 2 minutes.
        var off = Started(TimeSpan.Zero);
        off.Receive(Peer, new StatsReply(5, HashA));
        off.Transport.Clear();
        off.Advance(TimeSpan.FromSeconds(100));
        Assert.Empty(off.Transport.Of<Stats>());
    }

    /// <summary>A node with <see cref="Ours"/> tracking <see cref="Peer"/> (a bootstrap peer, so proven), one second in.</summary>
    private static TestNode Started(TimeSpan? refresh = null)
    {
        var options = new NodeOptions { Name = "me", AdvertisedHost = "127.0.0.1", Port = 9000, Difficulty = TestBlocks.Difficulty, Id = "me", Bootstrap = [Peer] };
        var node = new TestNode(refresh is { } r ? options with { StatsRefreshInterval = r } : options, Ours);
        node.Core.Start();
        node.Receive(Peer, new GossipReply(Peer.Host, Peer.Port, "peer"));
        node.Transport.Clear();
        node.Advance(TimeSpan.FromSeconds(1));
        return node;
    }
}
