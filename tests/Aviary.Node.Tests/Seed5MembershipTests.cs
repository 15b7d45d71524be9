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
