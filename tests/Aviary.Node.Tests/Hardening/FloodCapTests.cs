using System.Text;

using Aviary.Node.Core;
using Aviary.Node.Limits;
using Aviary.Node.Membership;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

/// <summary>Every table a peer can add to stays at or under its cap while the core is flooded on the fake clock.</summary>
public sealed class FloodCapTests
{
    private static readonly NodeOptions Unlimited = new() { Name = "me", Port = 9000, Difficulty = 1, Id = "me", RateLimits = RateLimits.Unlimited };

    [Fact]
    public void A_mixed_flood_from_many_sources_leaves_every_table_within_its_cap()
    {
        var chain = TestBlocks.Chain(10);
        var node = new TestNode(Unlimited, chain);
        var start = node.Clock.GetUtcNow();
        node.Core.Start();
        var random = new Random(5);
        var received = new Dictionary<PeerAddress, long>();
        for (var i = 0; i < 60_000; i++)
        {
            var from = new PeerAddress($"127.{random.Next(1, 40)}.{random.Next(256)}.{random.Next(256)}", random.Next(1024, 65536));
            var datagram = FloodDatagram(random, i, chain);
            received[from] = received.GetValueOrDefault(from) + datagram.Length;
            node.Core.OnDatagram(from, datagram);
            if (i % 100 == 0)
            {
                node.Advance(TimeSpan.FromMilliseconds(20));
            }
        }

        var t = node.Core.Tables();
        Assert.InRange(t.Peers, 1, PeerTable.MaxPeers);
        Assert.InRange(t.SeenIds, 1, SeenIds.MaxIds);
        Assert.InRange(t.GossipReplyLimit, 1, GossipMembership.MaxReplyLimitEntries);
        Assert.InRange(t.RateSources, 1, SourceRateLimiter.MaxSources);
        Assert.InRange(t.UnprovenAddresses, 1, AddressGuard.MaxUnproven);
        Assert.Equal(0, t.ProvenAddresses);
        Assert.InRange(t.ConsensusClaims, 0, ConsensusTally.MaxClaims);
        Assert.InRange(t.PendingEvents, 1, 50);
        Assert.InRange(node.Core.Counters.RejectionsBySource.Count, 1, NodeCounters.MaxRejectionSources);

        // No address got more than its response budget over the 12 s of flood, beyond the GOSSIP and
        // GOSSIP_REPLY allowances, and all of them together no more than the global budget.
        var limits = node.Options.ResponseLimits;
        var seconds = node.Clock.GetUtcNow() - start;
        var answers = node.Transport.Sent.Where(s => s.Message is not (Gossip or GossipReply)).ToList();
        foreach (var group in answers.GroupBy(s => s.To))
        {
            Assert.True(group.Sum(s => s.Bytes.Length) <= limits.AddressBytes.Burst + (limits.AddressBytes.PerSecond * seconds.TotalSeconds), $"{group.Key} got more than its budget");
            Assert.True(received.ContainsKey(group.Key), $"{group.Key} never sent us anything");
        }

        Assert.True(answers.Sum(s => s.Bytes.Length) <= limits.GlobalBytes.Burst + (limits.GlobalBytes.PerSecond * seconds.TotalSeconds));

        // Claims of 2^63-1 blocks from strangers never started a download (forged ANNOUNCEs may, within the window).
        Assert.NotEqual(long.MaxValue, node.Core.Download?.Target.Height);
        Assert.InRange(t.DownloadBuffered, 0, node.Core.SyncLimits.Window);
    }

    [Fact]
    public void Unique_gossip_ids_past_the_cap_only_make_the_oldest_forgotten()
    {
        var node = new TestNode(Unlimited);
        var sender = new PeerAddress("127.0.0.10", 8000);
        for (var i = 0; i < SeenIds.MaxIds + 5000; i++)
        {
            node.Receive(sender, new Gossip($"127.3.{i % 250}.1", 7000 + (i % 7), $"unique-{i}", "x"));
        }

        Assert.Equal(SeenIds.MaxIds, node.Core.Seen.Count);
        Assert.Equal(PeerTable.MaxPeers, node.Core.Peers.Count);
        Assert.False(node.Core.Seen.Contains("unique-0"));
        Assert.True(node.Core.Seen.Contains($"unique-{SeenIds.MaxIds + 4999}"));
    }

    [Fact]
    public void Forged_gossips_churn_only_unproven_peers_and_never_push_out_proven_ones()
    {
        var node = new TestNode(Unlimited);
        var proven = Enumerable.Range(1, 5).Select(i => new PeerAddress($"127.0.0.{i + 10}", 8000)).ToList();
        foreach (var p in proven)
        {
            node.Receive(p, new GossipReply(p.Host, p.Port, "honest"));
            node.Prove(p);
        }

        for (var i = 0; i < 5 * PeerTable.MaxPeers; i++)
        {
            node.Receive(new PeerAddress("127.0.0.50", 5000), new Gossip("127.7.0.1", 1024 + i, $"forged-{i}", "ghost"));
            node.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(PeerTable.MaxPeers, node.Core.Peers.Count);
        Assert.True(node.Core.Peers.Evictions >= 4 * PeerTable.MaxPeers);
        Assert.All(proven, p => Assert.NotNull(node.Core.Peers.Find(p)));
        Assert.All(proven, p => Assert.Contains(node.Core.Snapshot().Peers, s => s.Address == p && s.Proven));

        // A newcomer still gets in (a forged peer makes room), so honest peers can always join.
        var newcomer = new PeerAddress("127.0.0.99", 8000);
        node.Receive(newcomer, new Gossip(newcomer.Host, newcomer.Port, "hello", "new"));
        Assert.NotNull(node.Core.Peers.Find(newcomer));
    }

    [Fact]
    public void Gossip_reply_limit_table_stays_at_its_cap_under_unique_originators()
    {
        var node = new TestNode(Unlimited);
        for (var i = 0; i < 3 * GossipMembership.MaxReplyLimitEntries; i++)
        {
            node.Receive(new PeerAddress("127.0.0.10", 8000), new Gossip("127.4.0.1", 1024 + i, $"g-{i}", "x"));
        }

        Assert.Equal(GossipMembership.MaxReplyLimitEntries, node.Core.Tables().GossipReplyLimit);
        Assert.Equal(3 * GossipMembership.MaxReplyLimitEntries, node.Core.Counters.Sent["GOSSIP_REPLY"]);
    }

    [Fact]
    public void Unproven_address_table_stays_at_its_cap()
    {
        var node = new TestNode(Unlimited);
        for (var i = 0; i < 2 * AddressGuard.MaxUnproven; i++)
        {
            node.Receive(new PeerAddress("127.0.0.9", 1024 + i), "{}");
        }

        Assert.Equal(AddressGuard.MaxUnproven, node.Core.Guard.UnprovenCount);
    }

    [Fact]
    public void Announces_ahead_of_a_running_sync_keep_a_bounded_queue()
    {
        var chain = TestBlocks.Chain(800);
        var net = new TestNetwork();
        var me = new PeerAddress("127.0.0.1", 9000);
        var node = net.NodeMidSync(me, chain[..300]);
        for (var i = 400; i < 800; i++)
        {
            net.Send(new PeerAddress("127.0.0.20", 8000 + i), me, new Announce(chain[i]));
        }

        net.Run(TimeSpan.FromMilliseconds(150));
        Assert.Equal(ChainSync.MaxPendingAnnounces, node.Tables().PendingAnnounces);
        Assert.InRange(node.Tables().DownloadBuffered, 0, node.SyncLimits.Window);
        net.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(chain[299].Hash, node.Chain[299]?.Hash);
    }

    [Fact]
    public void Announced_blocks_at_the_heights_being_fetched_let_a_download_finish_without_its_server()
    {
        // Regression: a block offered for the very next height used to sit in the buffer unverified
        // until a reply for that height arrived, so a sync behind a stalling server never finished.
        var chain = TestBlocks.Chain(300);
        var net = new TestNetwork();
        var me = new PeerAddress("127.0.0.1", 9000);
        var node = net.AddNode(me, []);
        var staller = new PeerAddress("127.0.0.11", 8001);
        net.AddScripted(staller, (_, m) => m is Stats ? [new StatsReply(300, chain[^1].Hash)] : []);
        node.Start();
        net.Send(staller, me, new GossipReply(staller.Host, staller.Port, "staller"));
        net.Run(TimeSpan.FromSeconds(1.0));
        Assert.NotNull(node.Download);
        for (var i = 0; i < 300; i++)
        {
            net.Send(new PeerAddress("127.0.0.20", 8000 + i), me, new Announce(chain[i]));
        }

        net.Run(TimeSpan.FromMilliseconds(10));
        Assert.Equal(300, node.Chain.Count);
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
    }

    [Fact]
    public void Stats_replies_nobody_asked_for_are_not_counted_in_a_consensus_round()
    {
        var chain = TestBlocks.Chain(30);
        var net = new TestNetwork();
        var me = new PeerAddress("127.0.0.1", 9000);
        var node = net.AddNode(me, []);
        var honest = new PeerAddress("127.0.0.11", 8001);
        net.AddServer(honest, chain);
        net.Latency = TimeSpan.FromMilliseconds(100);
        node.Start();
        net.Send(honest, me, new GossipReply(honest.Host, honest.Port, "honest"));
        net.Run(TimeSpan.FromMilliseconds(650));
        Assert.True(node.ConsensusRunning);
        for (var i = 0; i < 200; i++)
        {
            net.Send(new PeerAddress($"127.5.0.{i}", 9999), me, new StatsReply(long.MaxValue, new string('0', 64)));
        }

        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.DoesNotContain(net.Delivered, d => d.Message is GetBlock && d.To.Host.StartsWith("127.5.", StringComparison.Ordinal));
    }

    private static byte[] FloodDatagram(Random random, int i, List<Block> chain) => (i % 10) switch
    {
        0 => RandomBytes(random),
        1 => Encoding.UTF8.GetBytes("{\"type\":\"GOSSIP\",\"pad\":\"" + new string('x', 60_000) + "\"}"),
        2 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        3 => MessageEncoder.Encode(new Gossip($"127.6.{random.Next(256)}.{random.Next(256)}", random.Next(1024, 65536), $"id-{i}", new string('n', 400))),
        4 => MessageEncoder.Encode(new StatsReply(long.MaxValue, new string('0', 64))),
        5 => MessageEncoder.Encode(new GetBlock(random.Next(-5, 20))),
        6 => MessageEncoder.Encode(Stats.Instance),
        7 => MessageEncoder.Encode(Consensus.Instance),
        8 => MessageEncoder.Encode(new Announce(chain[random.Next(chain.Count)] with { Height = random.Next(10, 1_000_000) })),
        _ => MessageEncoder.Encode(new NewWord($"word{i}")),
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 1500)];
        random.NextBytes(bytes);
        return bytes;
    }
}
