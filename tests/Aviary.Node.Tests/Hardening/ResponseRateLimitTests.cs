using Aviary.Node.Limits;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

/// <summary>Response rate limits on what unproven addresses get: each budget reached exactly at its figure; proven peers untouched.</summary>
public sealed class ResponseRateLimitTests
{
    private static NodeOptions Options(ResponseLimits? limits = null) => new()
    {
        Name = "me",
        Port = 9000,
        Difficulty = TestBlocks.Difficulty,
        Id = "me",
        RateLimits = RateLimits.Unlimited,
        ResponseLimits = limits ?? new ResponseLimits(),
    };

    private static int RepliesTo(TestNode node, Func<PeerAddress, bool> to) => node.Transport.Sent.Count(s => to(s.To));

    [Fact]
    public void One_address_gets_exactly_its_burst_at_once_and_then_its_rate()
    {
        var node = new TestNode(Options(), TestBlocks.Chain(5));
        var limits = node.Options.ResponseLimits;
        var client = new PeerAddress("10.1.2.3", 40_000);
        for (var i = 0; i < 100; i++)
        {
            node.Receive(client, Stats.Instance);
        }

        Assert.Equal((int)limits.AddressReplies.Burst, RepliesTo(node, a => a == client));
        Assert.Equal(100 - (int)limits.AddressReplies.Burst, node.Core.Counters.WithheldByReason[(WithholdReason.AddressRate, MessageTypes.StatsReply)]);

        node.Clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 100; i++)
        {
            node.Receive(client, Stats.Instance);
        }

        Assert.Equal((int)(limits.AddressReplies.Burst + limits.AddressReplies.PerSecond), RepliesTo(node, a => a == client));
    }

    [Fact]
    public void One_address_gets_exactly_the_bytes_of_its_byte_budget()
    {
        var chain = TestBlocks.Chain(5);
        var replySize = MessageEncoder.Measure(new StatsReply(5, chain[^1].Hash));
        var node = new TestNode(Options(new ResponseLimits { AddressBytes = new(10 * replySize, 10 * replySize) }), chain);
        var client = new PeerAddress("10.1.2.3", 40_000);
        for (var i = 0; i < 30; i++)
        {
            node.Receive(client, Stats.Instance);
        }

        Assert.Equal(10, RepliesTo(node, a => a == client));
        Assert.Equal(20, node.Core.Counters.WithheldByReason[(WithholdReason.AddressRate, MessageTypes.StatsReply)]);
    }

    [Fact]
    public void A_prefix_gets_exactly_its_burst_however_many_addresses_ask()
    {
        var node = new TestNode(Options(), TestBlocks.Chain(5));
        var limits = node.Options.ResponseLimits;
        for (var i = 0; i < 300; i++)
        {
            node.Receive(new PeerAddress($"10.7.7.{i % 250}", 40_000 + i), Stats.Instance);
        }

        Assert.Equal((int)limits.PrefixReplies.Burst, RepliesTo(node, a => a.Host.StartsWith("10.7.7.", StringComparison.Ordinal)));
        Assert.Equal(300 - (int)limits.PrefixReplies.Burst, node.Core.Counters.WithheldByReason[(WithholdReason.PrefixRate, MessageTypes.StatsReply)]);

        // Another /24 is charged to its own prefix.
        node.Receive(new PeerAddress("10.7.8.1", 40_000), Stats.Instance);
        Assert.Equal(1, RepliesTo(node, a => a.Host == "10.7.8.1"));
    }

    [Fact]
    public void All_unproven_addresses_together_get_exactly_the_global_burst()
    {
        var node = new TestNode(Options(), TestBlocks.Chain(5));
        var limits = node.Options.ResponseLimits;
        var asked = (int)limits.GlobalReplies.Burst + 500;
        for (var i = 0; i < asked; i++)
        {
            node.Receive(new PeerAddress($"10.{i / 250}.{i % 250}.1", 40_000), Stats.Instance);
        }

        Assert.Equal((int)limits.GlobalReplies.Burst, node.Transport.Sent.Count);
        Assert.Equal(500, node.Core.Counters.WithheldByReason[(WithholdReason.GlobalRate, MessageTypes.StatsReply)]);
    }

    [Fact]
    public void Proven_peers_are_not_charged()
    {
        var chain = TestBlocks.Chain(50);
        var node = new TestNode(Options(), chain);
        var peer = new PeerAddress("10.1.2.3", 8999);
        node.Prove(peer);
        for (var i = 0; i < 2000; i++)
        {
            node.Receive(peer, Stats.Instance);
        }

        for (var h = 0; h < 50; h++)
        {
            node.Receive(peer, new GetBlock(h));
        }

        Assert.Equal(2000, node.Transport.Of<StatsReply>().Count);
        Assert.Equal(50, node.Transport.Of<GetBlockReply>().Count);
        Assert.Equal(0, node.Core.Counters.Withheld);
    }

    [Fact]
    public void A_forged_flood_toward_one_victim_address_stays_within_its_byte_budget()
    {
        var node = new TestNode(Options(), TestBlocks.Chain(50));
        node.Core.Start();
        var limits = node.Options.ResponseLimits;
        var victim = new PeerAddress("10.9.9.9", 7000);
        var forged = 0L;
        for (var i = 0; i < 60_000; i++)
        {
            // Requests from many spoofing machines, all carrying the victim's source address.
            var request = MessageEncoder.Encode(i % 2 == 0 ? Stats.Instance : new GetBlock(i % 50));
            forged += request.Length;
            node.Core.OnDatagram(victim, request);
            if (i % 100 == 99)
            {
                node.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        var bytes = node.Transport.Sent.Where(s => s.To == victim).Sum(s => s.Bytes.Length);
        Assert.InRange(bytes, 1, limits.AddressBytes.Burst + (limits.AddressBytes.PerSecond * 60));
        Assert.True(bytes < forged, $"{bytes} bytes reached the victim for {forged} forged");
    }

    [Fact]
    public void A_forged_flood_toward_one_victim_network_stays_within_its_prefix_budget()
    {
        var node = new TestNode(Options(), TestBlocks.Chain(50));
        node.Core.Start();
        var limits = node.Options.ResponseLimits;
        var random = new Random(3);
        for (var i = 0; i < 60_000; i++)
        {
            var victim = new PeerAddress($"10.9.9.{random.Next(256)}", random.Next(1024, 65536));
            node.Core.OnDatagram(victim, MessageEncoder.Encode(i % 2 == 0 ? Stats.Instance : new GetBlock(i % 50)));
            if (i % 100 == 99)
            {
                node.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        var bytes = node.Transport.Sent.Where(s => s.To.Host.StartsWith("10.9.9.", StringComparison.Ordinal)).Sum(s => s.Bytes.Length);
        Assert.InRange(bytes, 1, limits.PrefixBytes.Burst + (limits.PrefixBytes.PerSecond * 60));
    }
}
