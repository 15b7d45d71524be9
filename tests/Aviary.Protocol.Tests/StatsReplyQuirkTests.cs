namespace Aviary.Protocol.Tests;

/// <summary>The STATS_REPLY shapes real peers send (protocol.md §3).</summary>
public sealed class StatsReplyQuirkTests
{
    private const string TopHash = "caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000";

    [Fact]
    public void Height_as_a_numeric_string_is_read_as_a_number()
    {
        // TienHuynh25 sends str(height) and str(hash).
        var reply = Wire.Expect<StatsReply>($$"""{"type":"STATS_REPLY","height":"123","hash":"{{TopHash}}"}""");
        Assert.Equal(new StatsReply(123, TopHash), reply);
        Assert.True(reply.ClaimsChain);
    }

    [Theory]
    [InlineData("""{"type":"STATS_REPLY","height":"None","hash":"None"}""")]
    [InlineData("""{"type":"STATS_REPLY","height":"null","hash":"null"}""")]
    [InlineData("""{"type":"STATS_REPLY","height":null,"hash":null}""")]
    [InlineData("""{"type":"STATS_REPLY","height":-1,"hash":null}""")]
    [InlineData("""{"type":"STATS_REPLY","height":"0","hash":"doing conensus"}""")]
    [InlineData("""{"type":"STATS_REPLY","height":0,"hash":null}""")]
    [InlineData("""{"type":"STATS_REPLY"}""")]
    public void Empty_chain_forms_all_decode_to_a_reply_that_claims_no_chain(string datagram)
    {
        var reply = Wire.Expect<StatsReply>(datagram);
        Assert.False(reply.ClaimsChain);
        Assert.Null(reply.Hash);
        Assert.True(reply.Height is null or 0, $"height {reply.Height}");
    }

    [Fact]
    public void Negative_heights_do_not_survive_as_claims()
    {
        Assert.Equal(StatsReply.Empty, Wire.Expect<StatsReply>("""{"type":"STATS_REPLY","height":-1,"hash":null}"""));
        Assert.Null(Wire.Expect<StatsReply>($$"""{"type":"STATS_REPLY","height":-5,"hash":"{{TopHash}}"}""").Height);
    }

    [Fact]
    public void A_reply_without_a_type_field_is_taken_as_a_stats_reply()
    {
        // mohammed-anjum/PeerToPeer_Blockchain sends host, port, height and hash, no type.
        var reply = Wire.Expect<StatsReply>($$"""{"host":"130.179.28.51","port":8790,"height":4542,"hash":"{{TopHash}}"}""");
        Assert.Equal(new StatsReply(4542, TopHash), reply);
    }

    [Fact]
    public void An_uppercase_or_short_hash_is_not_a_chain_claim()
    {
        Assert.False(Wire.Expect<StatsReply>($$"""{"type":"STATS_REPLY","height":5,"hash":"{{TopHash.ToUpperInvariant()}}"}""").ClaimsChain);
        Assert.False(Wire.Expect<StatsReply>("""{"type":"STATS_REPLY","height":5,"hash":"caab"}""").ClaimsChain);
    }
}
