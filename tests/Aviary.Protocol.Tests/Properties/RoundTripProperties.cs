using System.Text;

namespace Aviary.Protocol.Tests.Properties;

/// <summary>Encode then decode gives the message back, for every type and awkward field values.</summary>
public sealed class RoundTripProperties
{
    [Fact]
    public void Every_message_that_fits_a_datagram_decodes_back_to_itself()
    {
        var fitted = 0;
        var types = new HashSet<Type>();
        Property.ForAll(MessageGen.Small, 10_000, seed: 0xA71A4, message =>
        {
            if (MessageEncoder.Measure(message) > WireLimits.MaxOutboundDatagram)
            {
                return;
            }

            var wire = MessageEncoder.Encode(message);
            var decoded = MessageDecoder.Decode(wire);
            Assert.True(decoded.IsMessage, $"{Encoding.UTF8.GetString(wire)} -> {decoded}");
            Assert.Equal(message, decoded.Message);
            fitted++;
            types.Add(message.GetType());
        });

        // Not vacuous: most samples fit, and every message type was seen.
        Assert.True(fitted > 7_500, $"only {fitted} samples fitted a datagram");
        Assert.Equal(9, types.Count);
    }

    [Fact]
    public void Decoding_then_reencoding_a_real_peer_reply_is_stable()
    {
        // The professor's spaced, non-ASCII-escaping Python form becomes our compact form, and that is a fixed point.
        const string Python = """{"type": "GET_BLOCK_REPLY", "height": 2014, "minedBy": "Bryce", "nonce": "a1", "messages": ["prot\u00e9g\u00e9's", "\u0000\u001f"], "hash": "6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000", "timestamp": 1700000000}""";
        var once = MessageEncoder.Encode(Wire.Expect<GetBlockReply>(Python));
        var twice = MessageEncoder.Encode(MessageDecoder.Decode(once).Message!);
        Assert.Equal(once, twice);
    }
}
