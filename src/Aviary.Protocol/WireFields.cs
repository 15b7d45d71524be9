using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>
/// The top-level fields of one datagram that any message type uses; others are skipped. A struct
/// on the decoder's stack: only the values a message keeps are allocated.
/// </summary>
internal struct WireFields
{
    [ThreadStatic]
    private static List<string>? scratchMessages;

    public JsonField Type;

    /// <summary>Which known type <see cref="Type"/> names (its text is kept only when unknown).</summary>
    public MessageKind Kind;

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

    /// <summary>The message list when <see cref="MessagesField"/> is an array: this thread's scratch list, copied into a block.</summary>
    public List<string>? Messages;

    /// <summary>Set when a message list holds something other than strings.</summary>
    public string? MessagesProblem;

    /// <summary>Set when <see cref="Read"/> stops early: what was too long or too deep.</summary>
    public string? Problem;

    private enum FieldName : byte
    {
        Other,
        Type,
        Host,
        Port,
        Id,
        Name,
        Height,
        Hash,
        MinedBy,
        Nonce,
        Timestamp,
        Word,
        Messages,
    }

    /// <summary>
    /// Reads one object (the reader is before its first token). Null when it was read whole;
    /// otherwise why it stopped (<see cref="RejectionReason.TooLong"/> or <see cref="RejectionReason.TooDeep"/>),
    /// with <see cref="Problem"/> saying more. Invalid JSON throws, as the reader does.
    /// </summary>
    public RejectionReason? Read(ref Utf8JsonReader reader)
    {
        reader.Read(); // StartObject
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Identify(ref reader);
            reader.Read();
            var problem = name switch
            {
                FieldName.Other => WireJson.TrySkip(ref reader) ? null : TooDeep(),
                FieldName.Messages => ReadMessages(ref reader),
                FieldName.Type => ReadType(ref reader),

                // Repeated keys: the last one wins, as in Python's json (a real peer repeats minedBy).
                _ => Capture(ref reader, ref Slot(name)),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        // Anything after the object (a second value, junk) is invalid JSON: make the reader say so.
        while (reader.Read())
        {
        }

        return null;
    }

    private static FieldName Identify(ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[64];
        if (!WireJson.TryShortText(ref reader, buffer, out var name))
        {
            return FieldName.Other;
        }

        return name.Length switch
        {
            2 when name.SequenceEqual("id"u8) => FieldName.Id,
            4 => name[0] switch
            {
                (byte)'t' when name.SequenceEqual("type"u8) => FieldName.Type,
                (byte)'h' when name.SequenceEqual("hash"u8) => FieldName.Hash,
                (byte)'h' when name.SequenceEqual("host"u8) => FieldName.Host,
                (byte)'p' when name.SequenceEqual("port"u8) => FieldName.Port,
                (byte)'n' when name.SequenceEqual("name"u8) => FieldName.Name,
                (byte)'w' when name.SequenceEqual("word"u8) => FieldName.Word,
                _ => FieldName.Other,
            },
            5 when name.SequenceEqual("nonce"u8) => FieldName.Nonce,
            6 when name.SequenceEqual("height"u8) => FieldName.Height,
            7 when name.SequenceEqual("minedBy"u8) => FieldName.MinedBy,
            8 when name.SequenceEqual("messages"u8) => FieldName.Messages,
            9 when name.SequenceEqual("timestamp"u8) => FieldName.Timestamp,
            _ => FieldName.Other,
        };
    }

    [UnscopedRef]
    private ref JsonField Slot(FieldName name)
    {
        switch (name)
        {
            case FieldName.Host: return ref Host;
            case FieldName.Port: return ref Port;
            case FieldName.Id: return ref Id;
            case FieldName.Name: return ref Name;
            case FieldName.Height: return ref Height;
            case FieldName.Hash: return ref Hash;
            case FieldName.MinedBy: return ref MinedBy;
            case FieldName.Nonce: return ref Nonce;
            case FieldName.Timestamp: return ref Timestamp;
            case FieldName.Word: return ref Word;
            default: return ref Unsafe.NullRef<JsonField>();
        }
    }

    private RejectionReason? Capture(ref Utf8JsonReader reader, ref JsonField slot)
    {
        if (!JsonField.TryCapture(ref reader, out slot))
        {
            return TooDeep();
        }

        if (slot.Text is { Length: > WireLimits.MaxStringLength })
        {
            Problem = $"a string field of {slot.Text.Length} characters (limit {WireLimits.MaxStringLength})";
            return RejectionReason.TooLong;
        }

        return null;
    }

    private RejectionReason? ReadType(ref Utf8JsonReader reader)
    {
        Kind = MessageKind.Unknown;
        if (reader.TokenType != JsonTokenType.String)
        {
            return Capture(ref reader, ref Type);
        }

        Span<byte> buffer = stackalloc byte[MessageKinds.MaxLength];
        if (WireJson.TryShortText(ref reader, buffer, out var text))
        {
            Kind = MessageKinds.Identify(text);
        }

        if (Kind != MessageKind.Unknown)
        {
            Type = new JsonField { Kind = FieldKind.String };
            return null;
        }

        // Only an unknown type's text is kept, to name it in the rejection.
        return Capture(ref reader, ref Type);
    }

    private RejectionReason? ReadMessages(ref Utf8JsonReader reader)
    {
        Messages = null;
        MessagesProblem = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Capture(ref reader, ref MessagesField);
        }

        MessagesField = new JsonField { Kind = FieldKind.Array };
        var list = scratchMessages ??= new List<string>(WireLimits.MaxMessages + 1);
        list.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                MessagesProblem ??= $"messages[{list.Count}] is not a string";
                if (!WireJson.TrySkip(ref reader))
                {
                    return TooDeep();
                }

                list.Add(string.Empty);
            }
            else
            {
                list.Add(reader.GetString()!);
            }

            if (list.Count > WireLimits.MaxMessages)
            {
                Problem = $"more than {WireLimits.MaxMessages} messages";
                return RejectionReason.TooLong;
            }

            if (list[^1].Length > WireLimits.MaxStringLength)
            {
                Problem = $"a message of {list[^1].Length} characters";
                return RejectionReason.TooLong;
            }
        }

        Messages = list;
        return null;
    }

    private RejectionReason TooDeep()
    {
        Problem = $"nested deeper than {WireLimits.MaxDepth}";
        return RejectionReason.TooDeep;
    }
}
