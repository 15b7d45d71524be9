using Aviary.Node.Core;
using Aviary.Node.Membership;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

public sealed class MembershipTests
{
    private static readonly PeerAddress Boot = new("127.0.0.2", 8999);

    [Fact]
    public void Start_gossips_to_bootstrap_and_regossips_every_interval()
    {
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Bootstrap = [Boot], Difficulty = 1, GossipInterval = TimeSpan.FromSeconds(30) });
        node.Core.Start();
        Assert.Single(node.Transport.Of<Gossip>(), s => s.To == Boot);

        // Someone answers, so the join backoff stops; from then on one round per 30 s.
        node.Receive(Boot, new GossipReply("127.0.0.2", 8999, "boot"));
        node.Transport.Clear();
        node.Advance(TimeSpan.FromSeconds(29));
        var early = node.Transport.Of<Gossip>().Count;
        node.Advance(TimeSpan.FromSeconds(1));
        var rounds = node.Transport.Of<Gossip>().Select(g => g.Message.Id).Distinct().Count();
        Assert.True(early <= 1, $"before 30 s at most the join retry at 1 s; saw {early}");
        Assert.Equal(early + 1, rounds);
        node.Transport.Clear();
        node.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(3, node.Transport.Of<Gossip>().Select(g => g.Message.Id).Distinct().Count());
    }

    [Fact]
    public void Join_is_retried_with_doubling_delay_until_someone_answers()
    {
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Bootstrap = [Boot], Difficulty = 1 });
        node.Core.Start();
        node.Advance(TimeSpan.FromSeconds(16));

        // t=0, then retries at 1, 3, 7, 15 s.
        Assert.Equal(5, node.Transport.Of<Gossip>().Count);
        node.Receive(Boot, new GossipReply("127.0.0.2", 8999, "boot"));
        node.Transport.Clear();
        // The next retry would have been at 31 s; only the regular round at 30 s remains.
        node.Advance(TimeSpan.FromSeconds(13));
        Assert.Empty(node.Transport.Of<Gossip>());
    }

    [Fact]
    public void Unseen_gossip_is_answered_at_the_originator_named_in_the_message_not_the_sender()
    {
        var node = new TestNode();
        var forwarder = new PeerAddress("127.0.0.3", 8999);
        node.Receive(forwarder, new Gossip("127.0.0.113", 8745, "id-1", "GossipZilla!"));

        var reply = Assert.Single(node.Transport.Of<GossipReply>());
        Assert.Equal(new PeerAddress("127.0.0.113", 8745), reply.To);
        Assert.Equal(new GossipReply("127.0.0.1", 9000, "me"), reply.Message);
        Assert.NotNull(node.Core.Peers.Find(new PeerAddress("127.0.0.113", 8745)));
    }

    [Fact]
    public void Gossip_is_forwarded_once_unchanged_to_at_most_three_other_peers()
    {
        var node = new TestNode();
        for (var i = 10; i < 16; i++)
        {
            node.Receive(new PeerAddress($"127.0.0.{i}", 8000), new GossipReply($"127.0.0.{i}", 8000, $"p{i}"));
            node.Prove(new PeerAddress($"127.0.0.{i}", 8000));
        }

        var sender = new PeerAddress("127.0.0.10", 8000);
        const string Wire = """{"host":"127.0.0.11","id":"abc","name":"Sorted","port":8000,"type":"GOSSIP"}""";
        node.Receive(sender, Wire);
        node.Receive(sender, Wire);
        node.Receive(new PeerAddress("127.0.0.12", 8000), Wire);

        var forwards = node.Transport.Sent.Where(s => s.Message is Gossip).ToList();
        Assert.Equal(GossipMembership.GossipFanout, forwards.Count);
        Assert.All(forwards, f => Assert.Equal(Wire, System.Text.Encoding.UTF8.GetString(f.Bytes)));
        Assert.DoesNotContain(forwards, f => f.To == sender || f.To == new PeerAddress("127.0.0.11", 8000));
        Assert.Equal(3, forwards.Select(f => f.To).Distinct().Count());
    }

    [Fact]
    public void Our_own_gossip_coming_back_is_not_forwarded_or_answered()
    {
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Bootstrap = [Boot], Difficulty = 1 });
        node.Core.Start();
        node.Receive(Boot, new GossipReply("127.0.0.2", 8999, "boot"));
        var ours = node.Transport.Of<Gossip>()[0].Message;
        node.Transport.Clear();
        node.Receive(Boot, ours);
        Assert.Empty(node.Transport.Sent);
    }

    [Fact]
    public void Peer_silent_for_the_timeout_is_dropped_and_any_message_keeps_it_alive()
    {
        var node = new TestNode();
        node.Core.Start();
        var quiet = new PeerAddress("127.0.0.20", 8000);
        var chatty = new PeerAddress("127.0.0.21", 8000);
        node.Receive(quiet, new GossipReply(quiet.Host, quiet.Port, "quiet"));
        node.Receive(chatty, new GossipReply(chatty.Host, chatty.Port, "chatty"));
        for (var i = 0; i < 4; i++)
        {
            node.Advance(TimeSpan.FromSeconds(20));
            node.Receive(chatty, Stats.Instance);
        }

        Assert.Null(node.Core.Peers.Find(quiet));
        Assert.NotNull(node.Core.Peers.Find(chatty));
    }

    [Fact]
    public void Peer_reusing_one_gossip_id_for_keepalives_stays_alive_and_is_answered_again()
    {
        var node = new TestNode();
        node.Core.Start();
        var peer = new PeerAddress("127.0.0.30", 8000);
        var keepAlive = new Gossip(peer.Host, peer.Port, "same-id-forever", "reuser");
        for (var i = 0; i < 6; i++)
        {
            node.Receive(peer, keepAlive);
            node.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.NotNull(node.Core.Peers.Find(peer));
        Assert.Equal(6, node.Transport.Of<GossipReply>().Count(r => r.To == peer));
    }

    [Fact]
    public void Gossip_reply_to_one_address_is_limited_to_one_per_ten_seconds()
    {
        var node = new TestNode();
        var victim = new PeerAddress("127.0.0.40", 7000);
        for (var i = 0; i < 100; i++)
        {
            node.Receive(new PeerAddress("127.0.0.41", 5000), new Gossip(victim.Host, victim.Port, $"forged-{i}", "x"));
        }

        Assert.Single(node.Transport.Of<GossipReply>(), r => r.To == victim);
        node.Advance(GossipMembership.GossipReplyMinInterval);
        node.Receive(new PeerAddress("127.0.0.41", 5000), new Gossip(victim.Host, victim.Port, "forged-again", "x"));
        Assert.Equal(2, node.Transport.Of<GossipReply>().Count(r => r.To == victim));
    }

    [Fact]
    public void Seen_ids_are_capped_and_expire()
    {
        var start = DateTimeOffset.UnixEpoch;
        var seen = new SeenIds(TimeSpan.FromMinutes(5));
        for (var i = 0; i < SeenIds.MaxIds + 500; i++)
        {
            Assert.True(seen.Add($"id-{i}", start));
        }

        Assert.Equal(SeenIds.MaxIds, seen.Count);
        Assert.False(seen.Contains("id-0"));
        Assert.True(seen.Contains($"id-{SeenIds.MaxIds + 499}"));
        Assert.False(seen.Add($"id-{SeenIds.MaxIds + 499}", start + TimeSpan.FromMinutes(4)));
        Assert.True(seen.Add("fresh", start + TimeSpan.FromMinutes(6)));
        Assert.Equal(1, seen.Count);
    }

    [Fact]
    public void Peer_table_is_capped()
    {
        var node = new TestNode();
        for (var i = 0; i < PeerTable.MaxPeers + 50; i++)
        {
            node.Receive(new PeerAddress("127.0.0.50", 1000), new GossipReply("127.0.1.1", 1000 + i, "flood"));
        }

        Assert.Equal(PeerTable.MaxPeers, node.Core.Peers.Count);
    }
}
