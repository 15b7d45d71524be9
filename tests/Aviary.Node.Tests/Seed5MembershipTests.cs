using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>
/// Regressions found by the simulator (<c>aviary sim --seed 5 --minutes 30</c>): a peer that reuses
/// one gossip id for its keep-alives was lost for minutes after a long partition, and was never
/// refreshed when it sent from a second port.
/// </summary>
public sealed class Seed5MembershipTests
{
    private static readonly PeerAddress Reuser = new("127.0.0.30", 8000);
    private static readonly Gossip KeepAlive = new(Reuser.Host, Reuser.Port, "same-id-forever", "reuser");

    [Fact]
    public void Seed5_a_peer_reusing_its_gossip_id_is_taken_back_after_it_expired()
    {
        var node = new TestNode();
        node.Core.Start();
        node.Receive(Reuser, KeepAlive);
        node.Advance(TimeSpan.FromSeconds(90));
        Assert.Null(node.Core.Peers.Find(Reuser));
        node.Transport.Clear();

        node.Receive(Reuser, KeepAlive);
        Assert.NotNull(node.Core.Peers.Find(Reuser));
        Assert.Equal(Reuser, Assert.Single(node.Transport.Of<GossipReply>()).To);
    }

    [Fact]
    public void Seed5_a_peer_reusing_its_gossip_id_from_a_second_port_stays_alive_and_is_answered()
    {
        var node = new TestNode();
        node.Core.Start();
        var secondSocket = Reuser with { Port = 9000 };
        for (var i = 0; i < 6; i++)
        {
            node.Receive(secondSocket, KeepAlive);
            node.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.NotNull(node.Core.Peers.Find(Reuser));
        Assert.Equal(6, node.Transport.Of<GossipReply>().Count(r => r.To == Reuser));
    }

    /// <summary>
    /// Seed 5, second socket and reused id together: the peer taken back by its reused id was added
    /// without the proof of receipt it had earned before the partition, so it was never chosen to
    /// receive forwarded gossip and learned nobody else (tracked by 1 of 10 nodes four minutes later).
    /// </summary>
    [Fact]
    public void Seed5_a_peer_taken_back_by_its_reused_id_keeps_its_proof_and_gets_forwarded_gossip()
    {
        var node = new TestNode();
        node.Core.Start();
        node.Prove(Reuser);
        node.Receive(Reuser, KeepAlive);
        node.Advance(TimeSpan.FromSeconds(90));
        Assert.Null(node.Core.Peers.Find(Reuser));

        node.Receive(Reuser with { Port = 9000 }, KeepAlive);
        Assert.True(node.Core.Peers.Find(Reuser)?.TrustedUntil > node.Clock.GetUtcNow());
        node.Transport.Clear();
        node.Receive(new PeerAddress("127.0.0.40", 8000), new Gossip("127.0.0.40", 8000, "fresh-id", "newcomer"));
        Assert.Contains(node.Transport.Of<Gossip>(), g => g.To == Reuser && g.Message.Id == "fresh-id");
    }

    [Fact]
    public void Seed5_a_repeated_id_relayed_from_another_host_does_not_refresh_the_originator()
    {
        var node = new TestNode();
        node.Core.Start();
        node.Receive(Reuser, KeepAlive);
        node.Advance(TimeSpan.FromSeconds(45));
        node.Receive(new PeerAddress("127.0.0.31", 8000), KeepAlive);
        node.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(node.Core.Peers.Find(Reuser));
    }
}
