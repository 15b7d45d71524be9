using System.Text;

using Aviary.Node.Core;
using Aviary.Node.Limits;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

public sealed class AmplificationTests
{
    private static readonly PeerAddress Stranger = new("127.0.0.77", 40_000);

    private static int BytesTo(TestNode node, PeerAddress to, Func<Message, bool>? which = null) =>
        node.Transport.Sent.Where(s => s.To == to && (which is null || which(s.Message))).Sum(s => s.Bytes.Length);

    [Fact]
    public void An_unproven_client_is_answered_and_gets_nothing_it_did_not_ask_for()
    {
        // A person typing {"type":"STATS"} into nc: answered at once, and no GOSSIP of ours follows.
        var node = new TestNode(chain: TestBlocks.Chain(5));
        node.Receive(Stranger, Stats.Instance);
        node.Receive(Stranger, new GetBlock(2));
        Assert.Equal(Stranger, Assert.Single(node.Transport.Of<StatsReply>()).To);
        Assert.Equal(Stranger, Assert.Single(node.Transport.Of<GetBlockReply>()).To);
        Assert.Equal(2, node.Transport.Sent.Count);
        Assert.Equal(0, node.Core.Counters.Withheld);
    }

    [Fact]
    public void A_flood_of_requests_from_an_unproven_source_is_answered_only_within_its_address_budget()
    {
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Difficulty = TestBlocks.Difficulty, Id = "me", RateLimits = RateLimits.Unlimited }, TestBlocks.Chain(50));
        var limits = node.Options.ResponseLimits;
        for (var i = 0; i < 6000; i++)
        {
            Message request = (i % 3) switch
            {
                0 => Stats.Instance,
                1 => new GetBlock(i % 50),
                _ => new GetBlock(-1),
            };
            node.Core.OnDatagram(Stranger, MessageEncoder.Encode(request));
            node.Clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // 60 s of flood: what it got stays within its budget (rate × time + burst), and nothing unasked.
        var answers = BytesTo(node, Stranger);
        Assert.InRange(answers, 1, (limits.AddressBytes.PerSecond * 60) + limits.AddressBytes.Burst);
        Assert.InRange(node.Transport.Sent.Count(s => s.To == Stranger), 1, (limits.AddressReplies.PerSecond * 60) + limits.AddressReplies.Burst);
        Assert.Empty(node.Transport.Of<Gossip>());
        Assert.True(node.Core.Counters.WithheldByReason.GetValueOrDefault((WithholdReason.AddressRate, MessageTypes.StatsReply)) > 0);
    }

    [Fact]
    public void A_course_client_that_never_gossips_is_answered_every_time_at_its_own_pace()
    {
        // test_cli.py style: STATS from one socket, ten a second, never a GOSSIP.
        var chain = TestBlocks.Chain(5);
        var node = new TestNode(chain: chain);
        for (var i = 0; i < 70; i++)
        {
            node.Receive(Stranger, Stats.Instance);
            node.Clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(70, node.Transport.Of<StatsReply>().Count);
        Assert.Equal(70, node.Transport.Sent.Count);
    }

    [Fact]
    public void Answering_our_challenge_proves_an_address_and_then_it_is_served_in_full()
    {
        var chain = TestBlocks.Chain(20);
        var node = new TestNode(chain: chain);
        var peer = new PeerAddress("127.0.0.78", 8999);

        // A course peer joins by gossiping its own address: we answer and challenge at once.
        node.Receive(peer, new Gossip(peer.Host, peer.Port, "join-1", "course peer"));
        Assert.Single(node.Transport.Of<GossipReply>(), r => r.To == peer);
        var challenge = Assert.Single(node.Transport.Of<Gossip>(), g => g.To == peer);
        Assert.False(node.Core.IsProven(peer));

        node.Clock.Advance(TimeSpan.FromMilliseconds(30));
        node.Receive(peer, new GossipReply(peer.Host, peer.Port, "course peer"));
        Assert.True(node.Core.IsProven(peer));
        Assert.Equal(1, node.Core.Counters.AddressesProven);
        Assert.NotEqual("join-1", challenge.Message.Id);

        node.Transport.Clear();
        for (var h = 0; h < 20; h++)
        {
            node.Receive(peer, new GetBlock(h));
        }

        Assert.Equal(chain.Select(b => b.Hash), node.Transport.Of<GetBlockReply>().Select(r => r.Message.Block!.Hash));
    }

    [Fact]
    public void An_answer_that_comes_without_or_long_after_our_request_proves_nothing()
    {
        var node = new TestNode();
        var peer = new PeerAddress("127.0.0.79", 8999);
        node.Receive(peer, new GossipReply(peer.Host, peer.Port, "unasked"));
        node.Receive(peer, new StatsReply(10, new string('0', 64)));
        node.Receive(peer, GetBlockReply.Missing);
        Assert.False(node.Core.IsProven(peer));

        Assert.True(node.Core.Challenge(peer));
        node.Clock.Advance(AddressGuard.ProofWindow + TimeSpan.FromMilliseconds(1));
        node.Receive(peer, new GossipReply(peer.Host, peer.Port, "late"));
        Assert.False(node.Core.IsProven(peer));

        // One challenge per 10 s: the next one waits for the window to pass.
        Assert.False(node.Core.Challenge(peer));
        node.Clock.Advance(AddressGuard.ChallengeInterval);
        Assert.True(node.Core.Challenge(peer));
        node.Receive(peer, new GossipReply(peer.Host, peer.Port, "on time"));
        Assert.True(node.Core.IsProven(peer));
    }

    [Fact]
    public void A_proof_lapses_when_the_address_stops_answering()
    {
        var node = new TestNode();
        var peer = new PeerAddress("127.0.0.80", 8999);
        node.Prove(peer);
        node.Clock.Advance(AddressGuard.ProofLifetime - TimeSpan.FromSeconds(1));
        Assert.True(node.Core.IsProven(peer));
        node.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(node.Core.IsProven(peer));
    }

    [Fact]
    public void A_stats_reply_to_our_stats_proves_a_peer_and_bootstrap_peers_are_trusted_from_the_start()
    {
        var boot = new PeerAddress("127.0.0.2", 8999);
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Bootstrap = [boot], Difficulty = 1, Id = "me" });
        Assert.True(node.Core.IsProven(boot));

        var peer = new PeerAddress("127.0.0.81", 8999);
        node.Core.Start();
        node.Receive(peer, new GossipReply(peer.Host, peer.Port, "p"));
        node.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains(node.Transport.Of<Stats>(), s => s.To == peer);
        node.Receive(peer, new StatsReply(0, null));
        Assert.True(node.Core.IsProven(peer));
    }

    [Fact]
    public void A_peer_keeping_alive_from_a_second_socket_is_no_third_party_and_configured_addresses_are_trusted()
    {
        var probe = new PeerAddress("127.0.0.95", 7000);
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Difficulty = 1, Id = "me", Trusted = [probe] }, TestBlocks.Chain(5));
        node.Core.Start();
        var listening = new PeerAddress("127.0.0.30", 8000);
        for (var i = 0; i < 6; i++)
        {
            node.Receive(listening with { Port = 9001 }, new Gossip(listening.Host, listening.Port, $"keep-alive-{i}", "two sockets"));
            node.Advance(TimeSpan.FromSeconds(30));
        }

        // Its reply every 30 s and our keep-alive GOSSIP are not squeezed into one datagram per 10 s.
        Assert.Equal(6, node.Transport.Of<GossipReply>().Count(r => r.To == listening));
        Assert.True(node.Transport.Of<Gossip>().Count(g => g.To == listening) >= 2);

        Assert.True(node.Core.IsProven(probe));
        node.Receive(probe, new GetBlock(3));
        Assert.Single(node.Transport.Of<GetBlockReply>(), r => r.To == probe);
    }

    [Fact]
    public void A_third_party_named_in_a_gossip_flood_gets_at_most_one_datagram_per_ten_seconds()
    {
        var node = new TestNode(chain: TestBlocks.Chain(3));
        node.Core.Start();
        var sentAt = new List<DateTimeOffset>();
        var proven = new PeerAddress("127.0.0.90", 8999);
        node.Prove(proven);
        var victim = new PeerAddress("127.0.0.66", 7000);
        var attackerBytes = 0L;
        for (var i = 0; i < 6000; i++)
        {
            var forged = MessageEncoder.Encode(new Gossip(victim.Host, victim.Port, $"forged-{i}", "victim"));
            attackerBytes += forged.Length;
            var before = node.Transport.Sent.Count(s => s.To == victim);
            node.Core.OnDatagram(new PeerAddress($"127.1.{i % 200}.{i % 7}", 5000 + (i % 50)), forged);
            node.Advance(TimeSpan.FromMilliseconds(10));
            sentAt.AddRange(Enumerable.Repeat(node.Clock.GetUtcNow(), node.Transport.Sent.Count(s => s.To == victim) - before));
        }

        Assert.All(sentAt.Zip(sentAt.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(9.98), $"two datagrams to the victim {p.Second - p.First} apart"));

        // 60 s: keep-alives, consensus rounds and forwards all ran; the victim is a tracked peer. It got
        // one datagram per 10 s in all (a GOSSIP_REPLY or our GOSSIP), never two in one window.
        var toVictim = node.Transport.Sent.Select((s, i) => (s.To, s.Message, s.Bytes, At: i)).Where(s => s.To == victim).ToList();
        Assert.InRange(toVictim.Count, 1, 7);
        Assert.Contains(toVictim, s => s.Message is GossipReply);
        Assert.All(toVictim, s => Assert.True(s.Message is Gossip or GossipReply, $"sent {s.Message.Type} to the victim"));
        Assert.True(toVictim.Sum(s => s.Bytes.Length) < attackerBytes / 100);
        Assert.True(node.Core.Counters.WithheldByReason.GetValueOrDefault((WithholdReason.ThirdParty, MessageTypes.Stats)) > 0, "consensus STATS to the victim were withheld");

        // Meanwhile the proven peer received the flood's gossips, each forwarded at most once.
        var forwards = node.Transport.Sent.Where(s => s.To == proven && s.Message is Gossip { Id: var id } && id.StartsWith("forged-", StringComparison.Ordinal)).ToList();
        Assert.Equal(forwards.Count, forwards.Select(f => ((Gossip)f.Message).Id).Distinct().Count());
    }

    [Fact]
    public void A_gossip_padded_past_1024_bytes_is_answered_but_never_forwarded()
    {
        var node = new TestNode();
        var peers = Enumerable.Range(10, 4).Select(i => new PeerAddress($"127.0.0.{i}", 8000)).ToList();
        foreach (var p in peers)
        {
            node.Receive(p, new GossipReply(p.Host, p.Port, p.ToString()));
            node.Prove(p);
        }

        var padded = "{\"type\":\"GOSSIP\",\"host\":\"127.0.0.70\",\"port\":7000,\"id\":\"fat\",\"name\":\"x\",\"pad\":\"" + new string('x', 5000) + "\"}";
        node.Receive(peers[0], padded);
        Assert.Single(node.Transport.Of<GossipReply>());
        Assert.DoesNotContain(node.Transport.Sent, s => s.Bytes.Length > 1024);
        Assert.DoesNotContain(node.Transport.Of<Gossip>(), g => g.Message.Id == "fat");
    }

    [Fact]
    public void Each_gossip_id_in_a_flood_is_forwarded_once_to_at_most_three_peers()
    {
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Difficulty = 1, Id = "me", RateLimits = RateLimits.Unlimited });
        var peers = Enumerable.Range(10, 8).Select(i => new PeerAddress($"127.0.0.{i}", 8000)).ToList();
        foreach (var p in peers)
        {
            node.Receive(p, new GossipReply(p.Host, p.Port, p.ToString()));
            node.Prove(p);
        }

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5000; i++)
            {
                var sender = peers[(i + round) % peers.Count];
                var originator = new PeerAddress($"127.2.{i % 250}.1", 6000 + round);
                var bytes = Encoding.UTF8.GetBytes($"{{\"type\":\"GOSSIP\",\"host\":\"{originator.Host}\",\"port\":{originator.Port},\"id\":\"flood-{i}\",\"name\":\"x\"}}");
                node.Core.OnDatagram(sender, bytes);
            }
        }

        var forwards = node.Transport.Sent.Where(s => s.Message is Gossip g && g.Id.StartsWith("flood-", StringComparison.Ordinal)).ToList();
        var byId = forwards.GroupBy(f => ((Gossip)f.Message).Id).ToList();
        Assert.Equal(5000, byId.Count);
        Assert.All(byId, g => Assert.Equal(GossipMembership.GossipFanout, g.Select(f => f.To).Distinct().Count()));
        Assert.Equal(3 * 5000, forwards.Count);
        Assert.All(forwards, f => Assert.Contains(f.To, peers));
    }
}
