using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>The top-level fields of one datagram that any message type uses; others are skipped.</summary>
internal sealed class WireFields
{
    public JsonField Type;
    public JsonField Host;
    public JsonField Port;
    public JsonField Id;
    public JsonField Name;
    public JsonField Height;
    public JsonField Hash;
    public JsonField MinedBy;
    public JsonField Nonce;
    public JsonField Timestamp;
    public JsonField Word;
    public JsonField MessagesField;
    public List<string>? Messages;

    /// <summary>Set when a message list holds something other than strings.</summary>
    public string? MessagesProblem;

    /// <summary>Set when <see cref="Read"/> stops early because something is too long.</summary>
    public string? Problem;

    /// <summary>Reads one object; false when a list or string breaks the wire limits.</summary>
    public bool Read(ref Utf8JsonReader reader)
    {
        reader.Read(); // StartObject
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var slot = ref Slot(ref reader, out var isMessages);
            reader.Read();
            if (isMessages)
            {
                if (!ReadMessages(ref reader))
                {
                    return false;
                }

                continue;
            }

            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
            {
                reader.Skip();
                continue;
            }

            // Repeated keys: the last one wins, as in Python's json (a real peer repeats minedBy).
            slot = JsonField.Capture(ref reader);
            if (slot.Text is { Length: > WireLimits.MaxStringLength })
            {
                Problem = $"a string field of {slot.Text.Length} characters (limit {WireLimits.MaxStringLength})";
                return false;
            }
        }

        // Anything after the object (a second value, junk) is invalid JSON: make the reader say so.
        while (reader.Read())
        {
        }

        return true;
    }

    private ref JsonField Slot(ref Utf8JsonReader reader, out bool isMessages)
    {
        isMessages = false;
        if (reader.ValueTextEquals("type"u8))
        {
            return ref Type;
        }

        if (reader.ValueTextEquals("height"u8))
        {
            return ref Height;
        }

        if (reader.ValueTextEquals("hash"u8))
        {
            return ref Hash;
        }

        if (reader.ValueTextEquals("minedBy"u8))
        {
            return ref MinedBy;
        }

        if (reader.ValueTextEquals("nonce"u8))
        {
            return ref Nonce;
        }

        if (reader.ValueTextEquals("timestamp"u8))
        {
            return ref Timestamp;
        }

        if (reader.ValueTextEquals("messages"u8))
        {
            isMessages = true;
            return ref MessagesField;
        }

        if (reader.ValueTextEquals("host"u8))
        {
            return ref Host;
        }

        if (reader.ValueTextEquals("port"u8))
        {
            return ref Port;
        }

        if (reader.ValueTextEquals("id"u8))
        {
            return ref Id;
        }

        if (reader.ValueTextEquals("name"u8))
        {
            return ref Name;
        }

        if (reader.ValueTextEquals("word"u8))
        {
            return ref Word;
        }

        return ref System.Runtime.CompilerServices.Unsafe.NullRef<JsonField>();
    }

    private bool ReadMessages(ref Utf8JsonReader reader)
    {
        Messages = null;
        MessagesProblem = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            MessagesField = JsonField.Capture(ref reader);
            return true;
        }

        MessagesField = new JsonField { Kind = FieldKind.Array };
        var list = new List<string>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                MessagesProblem ??= $"messages[{list.Count}] is not a string";
                reader.Skip();
                list.Add(string.Empty);
            }
            else
            {
                list.Add(reader.GetString()!);
            }

            if (list.Count > WireLimits.MaxMessages)
            {
                Problem = $"more than {WireLimits.MaxMessages} messages";
                return false;
            }

            if (list[^1].Length > WireLimits.MaxStringLength)
            {
                Problem = $"a message of {list[^1].Length} characters";
                return false;
            }
        }

        Messages = list;
        return true;
    }
}
