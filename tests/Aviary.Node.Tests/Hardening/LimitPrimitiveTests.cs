using Aviary.Node.Limits;

namespace Aviary.Node.Tests.Hardening;

public sealed class LimitPrimitiveTests
{
    [Fact]
    public void Lru_table_never_holds_more_than_its_capacity_and_evicts_the_least_recently_used()
    {
        var table = new LruTable<int, long>(4);
        for (var i = 0; i < 4; i++)
        {
            table.GetOrAdd(i, out _) = i * 10;
        }

        // Touch 0, so 1 is now the least recently used.
        Assert.Equal(0, table.Find(0));
        table.GetOrAdd(99, out var added) = 990;
        Assert.True(added);
        Assert.Equal(4, table.Count);
        Assert.False(table.ContainsKey(1));
        Assert.True(table.ContainsKey(0));
        Assert.Equal(1, table.Evictions);

        for (var i = 1000; i < 101_000; i++)
        {
            table.GetOrAdd(i, out _) = i;
        }

        Assert.Equal(4, table.Count);
        Assert.Equal([100_996L, 100_997, 100_998, 100_999], Enumerable.Range(100_996, 4).Select(k => table.Find(k)).ToArray());
    }

    [Fact]
    public void Lru_table_reuses_removed_slots_before_evicting()
    {
        var table = new LruTable<string, int>(3);
        table.GetOrAdd("a", out _) = 1;
        table.GetOrAdd("b", out _) = 2;
        table.GetOrAdd("c", out _) = 3;
        Assert.True(table.Remove("b"));
        Assert.False(table.Remove("b"));
        table.GetOrAdd("d", out _) = 4;
        Assert.Equal(0, table.Evictions);
        Assert.True(table.ContainsKey("a") && table.ContainsKey("c") && table.ContainsKey("d"));
        Assert.Equal(0, table.GetOrAdd("e", out _));
        Assert.False(table.ContainsKey("a"));
        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find("a")));
    }

    [Fact]
    public void Token_bucket_allows_its_burst_then_its_rate()
    {
        var bucket = default(TokenBucket);
        var budget = new Budget(PerSecond: 10, Burst: 5);
        var t = DateTimeOffset.UnixEpoch.UtcTicks;
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => bucket.TryTake(t, budget)));
        t += TimeSpan.TicksPerSecond / 2;
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => bucket.TryTake(t, budget)));
        t += TimeSpan.TicksPerSecond * 100;
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => bucket.TryTake(t, budget)));
        Assert.False(bucket.TryTake(t + TimeSpan.TicksPerSecond, budget, cost: 11));
        Assert.True(Enumerable.Range(0, 1000).All(_ => default(TokenBucket).TryTake(t, Budget.Unlimited)));
    }

    [Theory]
    [InlineData("203.0.113.7", 1000, "203.0.113.250", 2000, true)]
    [InlineData("203.0.113.7", 1000, "203.0.114.7", 1000, false)]
    [InlineData("2001:db8:1:2::1", 1000, "2001:db8:1:2:ffff::9", 2000, true)]
    [InlineData("2001:db8:1:2::1", 1000, "2001:db8:1:3::1", 1000, false)]
    [InlineData("127.0.0.1", 9000, "127.0.0.1", 9001, false)]
    [InlineData("127.0.0.1", 9000, "127.0.0.1", 9000, true)]
    [InlineData("127.0.0.1", 9000, "127.0.0.2", 9000, false)]
    [InlineData("::1", 9000, "::1", 9001, false)]
    [InlineData("peer.example", 9000, "peer.example", 9000, true)]
    [InlineData("peer.example", 9000, "peer.example", 9001, false)]
    [InlineData("1.2.3", 9000, "1.2.3.0", 9000, false)]
    public void Sources_are_a_slash_24_a_slash_64_or_one_loopback_address_and_port(string hostA, int portA, string hostB, int portB, bool same) =>
        Assert.Equal(same, SourceKey.Of(new PeerAddress(hostA, portA)) == SourceKey.Of(new PeerAddress(hostB, portB)));
}
