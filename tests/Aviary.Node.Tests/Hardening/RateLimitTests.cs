using System.Text;

using Aviary.Node.Limits;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

public sealed class RateLimitTests
{
    private static long Received(TestNode node, string type) => node.Core.Counters.Received.GetValueOrDefault(type);

    [Fact]
    public void Stats_flood_from_one_slash_24_is_cut_at_its_budget_and_other_networks_are_untouched()
    {
        var node = new TestNode();
        var stats = new RateLimits().Stats;
        for (var i = 0; i < 1000; i++)
        {
            // Spoofing many addresses inside one /24 buys no extra budget.
            node.Receive(new PeerAddress($"203.0.113.{(i % 250) + 1}", 40_000 + i), Stats.Instance);
        }

        Assert.Equal((long)stats.Burst, Received(node, "STATS"));
        Assert.Equal(1000 - (long)stats.Burst, node.Core.Counters.RateLimitedBy(RateClass.Stats));
        Assert.Equal(1000 - (long)stats.Burst, node.Core.Snapshot().Counters.RateLimited[RateClass.Stats]);

        node.Receive(new PeerAddress("198.51.100.7", 40_000), Stats.Instance);
        Assert.Equal((long)stats.Burst + 1, Received(node, "STATS"));

        // The bucket refills at its rate: one second buys PerSecond more.
        node.Clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 1000; i++)
        {
            node.Receive(new PeerAddress("203.0.113.9", 50_000), Stats.Instance);
        }

        Assert.Equal((long)(stats.Burst + stats.PerSecond) + 1, Received(node, "STATS"));
    }

    [Fact]
    public void A_peer_syncing_from_us_at_twenty_thousand_get_blocks_a_second_is_never_limited()
    {
        var chain = TestBlocks.Chain(50);
        var node = new TestNode(chain: chain);
        var syncing = new PeerAddress("203.0.113.20", 8999);
        node.Prove(syncing);
        for (var i = 0; i < 100_000; i++)
        {
            node.Receive(syncing, new GetBlock(i % 50));
            node.Clock.Advance(TimeSpan.FromMicroseconds(50));
            if (i % 10_000 == 0)
            {
                node.Transport.Clear();
            }
        }

        Assert.Equal(0, node.Core.Counters.RateLimited);
        Assert.Equal(100_000, Received(node, "GET_BLOCK"));
    }

    [Fact]
    public void Loopback_nodes_on_one_address_each_get_their_own_budget()
    {
        var node = new TestNode();
        var burst = (int)new RateLimits().Stats.Burst;
        for (var port = 9001; port <= 9004; port++)
        {
            for (var i = 0; i < burst; i++)
            {
                node.Receive(new PeerAddress("127.0.0.1", port), Stats.Instance);
            }
        }

        Assert.Equal(0, node.Core.Counters.RateLimited);
        node.Receive(new PeerAddress("127.0.0.1", 9001), Stats.Instance);
        Assert.Equal(1, node.Core.Counters.RateLimitedBy(RateClass.Stats));
    }

    [Fact]
    public void The_datagram_budget_drops_junk_before_it_is_decoded()
    {
        var options = new NodeOptions { Name = "me", Port = 9000, Difficulty = 1, Id = "me", RateLimits = new RateLimits { Datagrams = new Budget(10, 20) } };
        var node = new TestNode(options);
        for (var i = 0; i < 100; i++)
        {
            node.Receive(new PeerAddress("203.0.113.5", 1000), "not json at all");
        }

        Assert.Equal(20, node.Core.Counters.Rejections(RejectionReason.NotJson));
        Assert.Equal(80, node.Core.Counters.RateLimitedBy(RateClass.Datagrams));
        Assert.Equal(100, node.Core.Counters.DatagramsIn);
    }

    [Fact]
    public void The_byte_budget_stops_a_stream_of_sixty_four_kilobyte_datagrams()
    {
        var options = new NodeOptions { Name = "me", Port = 9000, Difficulty = 1, Id = "me", RateLimits = new RateLimits { Bytes = new Budget(100_000, 200_000) } };
        var node = new TestNode(options);
        var big = Encoding.UTF8.GetBytes("{\"type\":\"STATS\",\"pad\":\"" + new string('x', 65_000) + "\"}");
        for (var i = 0; i < 10; i++)
        {
            node.Core.OnDatagram(new PeerAddress("203.0.113.5", 1000), big);
        }

        Assert.Equal(3, Received(node, "STATS"));
        Assert.Equal(7, node.Core.Counters.RateLimitedBy(RateClass.Bytes));
    }

    [Fact]
    public void Consensus_requests_are_limited_to_a_few_per_second_per_source()
    {
        var node = new TestNode();
        var source = new PeerAddress("203.0.113.5", 1000);
        for (var i = 0; i < 100; i++)
        {
            node.Receive(source, Consensus.Instance);
        }

        Assert.Equal((long)new RateLimits().Consensus.Burst, node.Core.Counters.ConsensusRequests);
        Assert.Equal(100 - (long)new RateLimits().Consensus.Burst, node.Core.Counters.RateLimitedBy(RateClass.Consensus));
    }

    [Fact]
    public void Limits_can_be_switched_off()
    {
        var node = new TestNode(new NodeOptions { Name = "me", Port = 9000, Difficulty = 1, Id = "me", RateLimits = RateLimits.Unlimited });
        for (var i = 0; i < 10_000; i++)
        {
            node.Receive(new PeerAddress("203.0.113.5", 1000), Stats.Instance);
        }

        Assert.Equal(10_000, Received(node, "STATS"));
        Assert.Equal(0, node.Core.Counters.RateLimited);
    }

    [Fact]
    public void The_source_table_stays_at_its_size_under_a_flood_of_distinct_networks()
    {
        var node = new TestNode();
        for (var i = 0; i < 3 * SourceRateLimiter.MaxSources; i++)
        {
            node.Receive(new PeerAddress($"10.{(i >> 8) & 255}.{i & 255}.1", 1000), "x");
        }

        Assert.Equal(SourceRateLimiter.MaxSources, node.Core.RateLimiter.Count);
        Assert.Equal(SourceRateLimiter.MaxSources, node.Core.Tables().RateSources);
    }
}
