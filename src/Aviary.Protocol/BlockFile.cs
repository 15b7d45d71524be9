using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>
/// The chain file format: a JSON array of blocks, each with the GET_BLOCK_REPLY field set
/// (height, minedBy, nonce, messages, hash, timestamp), in height order. Used by
/// <c>aviary verify</c>, <c>--chain</c>, export and import.
/// </summary>
public static class BlockFile
{
    /// <summary>Reads a chain file; on failure, <paramref name="error"/> says where and why.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out List<Block> blocks, out string error)
    {
        blocks = [];
        error = string.Empty;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = WireLimits.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                error = "the file is not a JSON array of blocks";
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    error = $"entry {blocks.Count} is not a JSON object";
                    return false;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                var result = DecodeBlock(json[start..end]);
                if (result.Block is null)
                {
                    error = $"entry {blocks.Count}: {result.Rejection}";
                    return false;
                }

                blocks.Add(result.Block);
            }

            return true;
        }
        catch (JsonException e)
        {
            error = $"invalid JSON at line {(e.LineNumber ?? 0) + 1}";
            return false;
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Decodes one JSON object holding a block's fields (any <c>type</c> is ignored); bad input gives a rejection, never an exception.</summary>
    public static (Block? Block, Rejection? Rejection) DecodeBlock(ReadOnlySpan<byte> json)
    {
        try
        {
            var body = json.TrimStart(" \t\r\n"u8);
            if (body.IsEmpty || body[0] != (byte)'{')
            {
                return (null, new Rejection(RejectionReason.NotObject, "a block must be a JSON object"));
            }

            if (!System.Text.Unicode.Utf8.IsValid(body))
            {
                return (null, new Rejection(RejectionReason.NotJson, "not valid UTF-8"));
            }

            var fields = default(WireFields);
            var reader = new Utf8JsonReader(body, WireJson.ReaderOptions);
            if (fields.Read(ref reader) is { } stopped)
            {
                return (null, new Rejection(stopped, fields.Problem ?? stopped.ToString()));
            }

            return MessageBuilder.TryBlock(in fields, out var block, out var rejection) ? (block, null) : (null, rejection.Rejection);
        }
        catch (JsonException e)
        {
            return (null, new Rejection(RejectionReason.NotJson, $"invalid JSON at byte {e.BytePositionInLine ?? 0}"));
        }
        catch (InvalidOperationException e)
        {
            // A bad escape (a lone surrogate) in a string the block keeps.
            return (null, new Rejection(RejectionReason.NotJson, e.Message));
        }
    }

    /// <summary>Writes blocks as a chain file, one block per line.</summary>
    public static void Write(IEnumerable<Block> blocks, Stream destination)
    {
        using var w = new Utf8JsonWriter(destination, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartArray();
        foreach (var b in blocks)
        {
            w.WriteStartObject();
            w.WriteNumber("height"u8, b.Height);
            w.WriteString("minedBy"u8, b.MinedBy);
            w.WriteString("nonce"u8, b.Nonce);
            w.WriteStartArray("messages"u8);
            foreach (var m in b.Messages)
            {
                w.WriteStringValue(m);
            }

            w.WriteEndArray();
            w.WriteString("hash"u8, b.Hash);
            w.WriteNumber("timestamp"u8, b.Timestamp);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
