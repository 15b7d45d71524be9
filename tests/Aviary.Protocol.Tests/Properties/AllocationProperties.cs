namespace Aviary.Protocol.Tests.Properties;

/// <summary>What a datagram can make the decoder allocate is bounded by its size.</summary>
public sealed class AllocationProperties
{
    /// <summary>
    /// Bytes per input byte. The worst case is a list of one-character messages (<c>"a",</c>: 4 input
    /// bytes for a 24-byte string and an 8-byte array slot) repeated under duplicate keys.
    /// </summary>
    private const int PerInputByte = 8;

    /// <summary>Fixed cost: the result, one exception object for invalid JSON, a rejection's detail.</summary>
    private const int Constant = 4096;

    [Fact]
    public void Decoding_allocates_at_most_a_small_multiple_of_the_input()
    {
        var worst = 0.0;
        Property.ForAll(
            DatagramGen.Hostile,
            10_000,
            seed: 0xA110C,
            datagram =>
            {
                MessageDecoder.Decode(datagram); // first run pays one-time costs (resource strings, scratch list)
                var before = GC.GetAllocatedBytesForCurrentThread();
                MessageDecoder.Decode(datagram);
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated <= (PerInputByte * datagram.Length) + Constant, $"{allocated} bytes allocated");
                worst = Math.Max(worst, (double)allocated / (datagram.Length + 1));
            },
            print: TotalDecoderProperties.Show);
        Assert.True(worst > 0);
    }

    [Theory]
    [InlineData("{\"type\":\"ANNOUNCE\"", ",\"messages\":[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]", "}")]
    [InlineData("{\"type\":\"NEW_WORD\"", ",\"word\":\"w\"", "}")]
    [InlineData("{\"type\":\"GOSSIP\"", ",\"id\":\"i\",\"name\":\"n\"", "}")]
    [InlineData("{\"type\":\"STATS\"", ",\"x\":{\"y\":[1,2,{\"z\":null}]}", "}")]
    [InlineData("{\"type\":\"NEW_WORD\",\"word\":\"", "aaaaaaaa", "\"}")]
    public void Datagrams_of_64_KiB_built_to_allocate_stay_within_the_bound(string head, string repeated, string tail)
    {
        var count = (WireLimits.MaxInboundDatagram - head.Length - tail.Length) / repeated.Length;
        var datagram = Wire.Bytes(head + string.Concat(Enumerable.Repeat(repeated, count)) + tail);
        Assert.True(datagram.Length <= WireLimits.MaxInboundDatagram);

        MessageDecoder.Decode(datagram);
        var before = GC.GetAllocatedBytesForCurrentThread();
        MessageDecoder.Decode(datagram);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= (PerInputByte * datagram.Length) + Constant, $"{allocated} bytes for {datagram.Length}");
    }

    [Fact]
    public void Decoding_a_stats_request_allocates_nothing()
    {
        var datagram = Wire.Bytes("""{"type":"STATS"}""");
        MessageDecoder.Decode(datagram);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = MessageDecoder.Decode(datagram);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(Stats.Instance, result.Message);
    }
}
