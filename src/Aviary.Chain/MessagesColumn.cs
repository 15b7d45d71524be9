using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aviary.Chain;

/// <summary>The messages column: a block's messages as a JSON array of strings, exactly as given.</summary>
internal sealed class MessagesColumn
{
    // Stored text is never served to a browser, so non-ASCII stays readable in the sqlite3 shell.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> buffer = new(256);
    private readonly Utf8JsonWriter writer;

    public MessagesColumn() => writer = new Utf8JsonWriter(buffer, Options);

    /// <summary>The JSON text for <paramref name="messages"/> (reuses one buffer: single-threaded).</summary>
    public string Encode(IReadOnlyList<string> messages)
    {
        buffer.ResetWrittenCount();
        writer.Reset();
        writer.WriteStartArray();
        foreach (var m in messages)
        {
            writer.WriteStringValue(m);
        }

        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses the column's UTF-8 text back; false unless it is exactly one JSON array of strings.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, out List<string> messages)
    {
        messages = [];
        return TryDecode(json, messages);
    }

    private static bool TryDecode(ReadOnlySpan<byte> json, List<string> messages)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        messages.Add(reader.GetString()!);
                        break;
                    case JsonTokenType.EndArray:
                        // Anything after the array (another value) makes Read throw or return true.
                        return !reader.Read();
                    default:
                        return false;
                }
            }

            return false;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
