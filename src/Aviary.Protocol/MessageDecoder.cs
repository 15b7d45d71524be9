using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>
/// Turns any byte sequence into a message or a rejection. Total: it never throws, reads datagrams
/// over <see cref="WireLimits.MaxInboundDatagram"/> not at all, and builds no DOM.
/// </summary>
public static class MessageDecoder
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = WireLimits.MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static DecodeResult Decode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > WireLimits.MaxInboundDatagram)
        {
            return DecodeResult.Reject(RejectionReason.TooLarge, $"{datagram.Length} bytes, limit {WireLimits.MaxInboundDatagram}");
        }

        var body = datagram.TrimStart(" \t\r\n"u8);
        if (body.IsEmpty)
        {
            return DecodeResult.Reject(RejectionReason.Empty, "no JSON in the datagram");
        }

        if (body[0] != (byte)'{')
        {
            return body[0] is (byte)'[' or (byte)'"' or (byte)'-' or (byte)'t' or (byte)'f' or (byte)'n' or (>= (byte)'0' and <= (byte)'9')
                ? NotObjectOrJunk(body)
                : DecodeResult.Reject(RejectionReason.NotJson, "does not start with a JSON value");
        }

        var fields = new WireFields();
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!fields.Read(ref reader))
            {
                return DecodeResult.Reject(RejectionReason.TooLong, fields.Problem ?? "too long");
            }
        }
        catch (JsonException e)
        {
            return e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? DecodeResult.Reject(RejectionReason.TooDeep, $"nested deeper than {WireLimits.MaxDepth}")
                : DecodeResult.Reject(RejectionReason.NotJson, ShortJsonError(e));
        }
        catch (InvalidOperationException e)
        {
            // GetString on invalid UTF-8 or a bad escape surfaces as InvalidOperationException.
            return DecodeResult.Reject(RejectionReason.NotJson, e.Message.Length > 80 ? e.Message[..80] : e.Message);
        }

        return MessageBuilder.Build(fields);
    }

    private static DecodeResult NotObjectOrJunk(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            reader.Read();
            reader.Skip();
            while (reader.Read())
            {
            }

            return DecodeResult.Reject(RejectionReason.NotObject, $"a JSON {Kind(body[0])}, not an object");
        }
        catch (JsonException e)
        {
            return e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? DecodeResult.Reject(RejectionReason.TooDeep, $"nested deeper than {WireLimits.MaxDepth}")
                : DecodeResult.Reject(RejectionReason.NotJson, ShortJsonError(e));
        }
    }

    private static string Kind(byte first) => first switch
    {
        (byte)'[' => "array",
        (byte)'"' => "string",
        (byte)'t' or (byte)'f' => "boolean",
        (byte)'n' => "null",
        _ => "number",
    };

    private static string ShortJsonError(JsonException e) =>
        $"invalid JSON at byte {e.BytePositionInLine ?? 0}";
}
