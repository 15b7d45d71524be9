using System.Text;

namespace Aviary.Protocol.Tests.Properties;

/// <summary>The decoder is total: any bytes give exactly one of a message or a rejection, never an exception.</summary>
public sealed class TotalDecoderProperties
{
    [Fact]
    public void Hostile_datagrams_always_decode_to_a_message_or_a_rejection()
    {
        var messages = 0;
        var reasons = new HashSet<RejectionReason>();
        Property.ForAll(
            DatagramGen.Hostile,
            100_000,
            seed: 0xF022,
            datagram =>
            {
                var result = MessageDecoder.Decode(datagram);
                Assert.True(result.IsMessage ^ result.Rejection is not null, "exactly one of message and rejection");
                if (result.Rejection is { } rejection)
                {
                    reasons.Add(rejection.Reason);
                    Assert.False(string.IsNullOrEmpty(rejection.Detail));
                    return;
                }

                // Whatever was accepted re-encodes (when it fits) to something that decodes the same.
                messages++;
                var message = result.Message!;
                if (MessageEncoder.Measure(message) <= WireLimits.MaxOutboundDatagram)
                {
                    Assert.Equal(message, MessageDecoder.Decode(MessageEncoder.Encode(message)).Message);
                }
            },
            print: Show);

        // The mix reaches every path: accepted messages and every rejection reason.
        Assert.True(messages > 9_000, $"only {messages} datagrams decoded to messages");
        Assert.Equal(Enum.GetValues<RejectionReason>(), reasons.Order());
    }

    internal static string Show(byte[] datagram) =>
        $"{datagram.Length} bytes: {Convert.ToHexString(datagram.AsSpan(0, Math.Min(datagram.Length, 200)))} ({Encoding.UTF8.GetString(datagram)})";
}
