using System.Text;

namespace Aviary.Protocol.Tests;

/// <summary>Shorthands for tests that feed JSON text to the decoder.</summary>
internal static class Wire
{
    /// <summary>A real block hash (f24-2155) to build valid-looking blocks with.</summary>
    public const string Hash = "6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000";

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static DecodeResult Decode(string json) => MessageDecoder.Decode(Bytes(json));

    /// <summary>Decodes and asserts a message of type <typeparamref name="T"/> came out.</summary>
    public static T Expect<T>(string json)
        where T : Message
    {
        var result = Decode(json);
        Assert.True(result.IsMessage, $"expected a {typeof(T).Name}, got {result}");
        return Assert.IsType<T>(result.Message);
    }

    /// <summary>Decodes and asserts a rejection for <paramref name="reason"/>.</summary>
    public static Rejection Rejected(RejectionReason reason, ReadOnlySpan<byte> datagram)
    {
        var result = MessageDecoder.Decode(datagram);
        Assert.Null(result.Message);
        Assert.NotNull(result.Rejection);
        Assert.Equal(reason, result.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
        return result.Rejection;
    }

    public static Rejection Rejected(RejectionReason reason, string json) => Rejected(reason, Bytes(json));

    /// <summary>A block as the wire carries it, with the given field values spliced in verbatim.</summary>
    public static string BlockJson(
        string type = "GET_BLOCK_REPLY",
        string height = "2155",
        string minedBy = "\"Nico Rosberg\"",
        string nonce = "\"146424285\"",
        string messages = """["Jihan","Park","Mirha"]""",
        string hash = "\"" + Hash + "\"",
        string timestamp = "1733103931") =>
        $$"""{"type":"{{type}}","height":{{height}},"minedBy":{{minedBy}},"nonce":{{nonce}},"messages":{{messages}},"hash":{{hash}},"timestamp":{{timestamp}}}""";
}
