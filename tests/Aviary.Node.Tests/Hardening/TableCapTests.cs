using Aviary.Node.Limits;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

/// <summary>The bounded sets behind the core, each driven far past its cap.</summary>
public sealed class TableCapTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Proven_addresses_stay_at_their_cap_and_the_least_recently_heard_goes_first()
    {
        var guard = new AddressGuard([], new ResponseLimits());
        var now = Start;
        for (var i = 0; i < 3 * AddressGuard.MaxProven; i++)
        {
            var a = new PeerAddress("127.0.0.5", 1024 + i);
            guard.Received(a, now);
            Assert.Null(guard.Admit(a, 16, Outbound.StatsRequest, now));
            Assert.True(guard.Answered(a, Outbound.StatsRequest, now));
            now += TimeSpan.FromMilliseconds(1);
        }

        Assert.Equal(AddressGuard.MaxProven, guard.ProvenCount);
        Assert.False(guard.IsProven(new PeerAddress("127.0.0.5", 1024), now));
        Assert.True(guard.IsProven(new PeerAddress("127.0.0.5", 1024 + (3 * AddressGuard.MaxProven) - 1), now));
    }

    [Fact]
    public void Response_rate_tables_stay_at_their_caps_under_a_flood_of_new_addresses()
    {
        var limiter = new ResponseRateLimiter(ResponseLimits.Unlimited);
        for (var i = 0; i < 3 * ResponseRateLimiter.MaxAddresses; i++)
        {
            Assert.Null(limiter.Admit(new PeerAddress($"10.{i / 256 % 256}.{i % 256}.1", 4000), 100, Start));
        }

        Assert.Equal(ResponseRateLimiter.MaxAddresses, limiter.AddressCount);
        Assert.Equal(ResponseRateLimiter.MaxPrefixes, limiter.PrefixCount);
    }

    [Fact]
    public void The_reply_pacer_watches_at_most_its_cap_of_peers()
    {
        var pacer = new ReplyPacer(new PaceLimits());
        for (var i = 0; i < 3 * ReplyPacer.MaxPeers; i++)
        {
            Assert.Equal(PaceDecision.Now, pacer.OnRequest(new PeerAddress("127.0.0.8", 1024 + i), 5, Start));
        }

        Assert.Equal(ReplyPacer.MaxPeers, pacer.Count);
    }

    [Fact]
    public void Expiring_sets_for_bad_claims_and_misbehaving_peers_stay_at_capacity()
    {
        var set = new ExpiringSet<PeerAddress>(1024, TimeSpan.FromMinutes(10));
        for (var i = 0; i < 5000; i++)
        {
            set.Add(new PeerAddress("127.0.0.7", 1024 + i), Start + TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(1024, set.Count);
        Assert.True(set.Contains(new PeerAddress("127.0.0.7", 1024 + 4999), Start + TimeSpan.FromSeconds(5)));
        Assert.False(set.Contains(new PeerAddress("127.0.0.7", 1024), Start + TimeSpan.FromSeconds(5)));
        Assert.False(set.Contains(new PeerAddress("127.0.0.7", 1024 + 4999), Start + TimeSpan.FromMinutes(11)));
    }

    [Fact]
    public void A_consensus_tally_counts_at_most_its_cap_of_claims()
    {
        var tally = new ConsensusTally();
        for (var i = 0; i < 2000; i++)
        {
            tally.Add(new PeerAddress("127.0.0.8", 1024 + i), new StatsReply(10 + i, new string('0', 64)), 1);
        }

        Assert.Equal(ConsensusTally.MaxClaims, tally.Count);
    }
}
