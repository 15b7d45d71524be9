namespace Aviary.Protocol.Tests.Properties;

/// <summary>The encoder never produces a datagram over 1024 bytes, and what it produces decodes back.</summary>
public sealed class EncoderLimitProperties
{
    [Fact]
    public void Messages_over_the_limit_are_refused_and_the_rest_round_trip()
    {
        var refused = 0;
        var sent = 0;
        var destination = new byte[WireLimits.MaxInboundDatagram];
        Property.ForAll(MessageGen.Large, 2_000, seed: 0x1024, message =>
        {
            var size = MessageEncoder.Measure(message);
            if (size > WireLimits.MaxOutboundDatagram)
            {
                Assert.False(MessageEncoder.TryEncode(message, destination, out var none));
                Assert.Equal(0, none);
                var e = Assert.Throws<DatagramTooLargeException>(() => MessageEncoder.Encode(message));
                Assert.Equal(size, e.Size);
                refused++;
                return;
            }

            Assert.True(MessageEncoder.TryEncode(message, destination, out var written));
            Assert.Equal(size, written);
            var bytes = MessageEncoder.Encode(message);
            Assert.Equal(destination[..written], bytes);
            Assert.Equal(message, MessageDecoder.Decode(bytes).Message);
            sent++;
        });

        Assert.True(refused > 250 && sent > 250, $"refused {refused}, sent {sent}: both sides of the limit must be exercised");
    }

    [Fact]
    public void A_datagram_of_exactly_1024_bytes_is_sent_and_1025_is_refused()
    {
        var shell = MessageEncoder.Measure(new NewWord(string.Empty));
        var exact = new NewWord(new string('w', WireLimits.MaxOutboundDatagram - shell));
        Assert.Equal(WireLimits.MaxOutboundDatagram, MessageEncoder.Encode(exact).Length);

        var over = new NewWord(new string('w', WireLimits.MaxOutboundDatagram - shell + 1));
        Assert.Throws<DatagramTooLargeException>(() => MessageEncoder.Encode(over));
        Assert.False(MessageEncoder.TryEncode(over, new byte[4096], out _));
    }

    [Fact]
    public void Escaping_counts_towards_the_limit()
    {
        // 200 control characters are 200 UTF-16 chars but 1200 bytes once escaped as \u00XX.
        var word = new NewWord(new string('\u0001', 200));
        Assert.True(MessageEncoder.Measure(word) > WireLimits.MaxOutboundDatagram);
        Assert.Throws<DatagramTooLargeException>(() => MessageEncoder.Encode(word));
    }

    [Fact]
    public void A_destination_too_small_for_the_datagram_is_a_refusal_not_a_throw()
    {
        var message = new GetBlock(4);
        var size = MessageEncoder.Measure(message);
        Assert.False(MessageEncoder.TryEncode(message, new byte[size - 1], out var written));
        Assert.Equal(0, written);
        Assert.True(MessageEncoder.TryEncode(message, new byte[size], out written));
        Assert.Equal(size, written);
    }
}
