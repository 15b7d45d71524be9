using System.Text.Json;
using System.Text.Unicode;

namespace Aviary.Protocol;

/// <summary>
/// Turns any byte sequence into a message or a rejection. Total: it never throws, reads datagrams
/// over <see cref="WireLimits.MaxInboundDatagram"/> not at all, and builds no DOM.
/// </summary>
public static class MessageDecoder
{
    /// <summary>Decodes one datagram.</summary>
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

        // The whole datagram, ignored keys included: JSON text is UTF-8 or it is not JSON.
        if (!Utf8.IsValid(body))
        {
            return DecodeResult.Reject(RejectionReason.NotJson, "not valid UTF-8");
        }

        if (body[0] != (byte)'{')
        {
            return body[0] is (byte)'[' or (byte)'"' or (byte)'-' or (byte)'t' or (byte)'f' or (byte)'n' or (>= (byte)'0' and <= (byte)'9')
                ? NotObjectOrJunk(body)
                : DecodeResult.Reject(RejectionReason.NotJson, "does not start with a JSON value");
        }

        var fields = default(WireFields);
        try
        {
            var reader = new Utf8JsonReader(body, WireJson.ReaderOptions);
            if (fields.Read(ref reader) is { } stopped)
            {
                return DecodeResult.Reject(stopped, fields.Problem ?? stopped.ToString());
            }
        }
        catch (JsonException e)
        {
            return DecodeResult.Reject(RejectionReason.NotJson, ShortJsonError(e));
        }
        catch (InvalidOperationException e)
        {
            // GetString on a bad escape (a lone surrogate) surfaces as InvalidOperationException.
            return DecodeResult.Reject(RejectionReason.NotJson, e.Message.Length > 80 ? e.Message[..80] : e.Message);
        }

        return MessageBuilder.Build(in fields);
    }

    private static DecodeResult NotObjectOrJunk(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, WireJson.ReaderOptions);
            reader.Read();
            if (!WireJson.TrySkip(ref reader))
            {
                return DecodeResult.Reject(RejectionReason.TooDeep, $"nested deeper than {WireLimits.MaxDepth}");
            }

            while (reader.Read())
            {
            }

            return DecodeResult.Reject(RejectionReason.NotObject, $"a JSON {Kind(body[0])}, not an object");
        }
        catch (JsonException e)
        {
            return DecodeResult.Reject(RejectionReason.NotJson, ShortJsonError(e));
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
        $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {e.BytePositionInLine ?? 0}";
}
