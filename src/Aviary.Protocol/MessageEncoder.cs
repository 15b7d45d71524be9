using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>
/// Writes messages as compact UTF-8 JSON in the field order real peers use. Strict: every datagram
/// is at most <see cref="WireLimits.MaxOutboundDatagram"/> bytes, or it is not built at all.
/// </summary>
public static class MessageEncoder
{
    // Non-ASCII goes out as UTF-8, not \uXXXX, so blocks with accents stay small (protocol.md §0).
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? cachedBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    /// <summary>Encodes into <paramref name="destination"/>; false if the datagram would break the size limit or not fit.</summary>
    public static bool TryEncode(Message message, Span<byte> destination, out int written)
    {
        var bytes = Write(message);
        written = 0;
        if (bytes.Length > WireLimits.MaxOutboundDatagram || bytes.Length > destination.Length)
        {
            return false;
        }

        bytes.CopyTo(destination);
        written = bytes.Length;
        return true;
    }

    /// <summary>Encodes to a new array, or throws <see cref="DatagramTooLargeException"/> for one over the size limit.</summary>
    public static byte[] Encode(Message message)
    {
        var bytes = Write(message);
        return bytes.Length <= WireLimits.MaxOutboundDatagram
            ? bytes.ToArray()
            : throw new DatagramTooLargeException(message.Type, bytes.Length);
    }

    /// <summary>The encoded size, whatever the limit (for diagnostics and tests).</summary>
    public static int Measure(Message message) => Write(message).Length;

    private static ReadOnlySpan<byte> Write(Message message)
    {
        var buffer = cachedBuffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var w = cachedWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("type"u8, message.Type);
        switch (message)
        {
            case Gossip g:
                w.WriteString("host"u8, g.Host);
                w.WriteNumber("port"u8, g.Port);
                w.WriteString("id"u8, g.Id);
                w.WriteString("name"u8, g.Name);
                break;
            case GossipReply r:
                w.WriteString("host"u8, r.Host);
                w.WriteNumber("port"u8, r.Port);
                w.WriteString("name"u8, r.Name);
                break;
            case StatsReply s:
                WriteNullableNumber(w, "height"u8, s.Height);
                WriteNullableString(w, "hash"u8, s.Hash);
                break;
            case GetBlock g:
                WriteNullableNumber(w, "height"u8, g.Height);
                break;
            case GetBlockReply { Block: { } b }:
                WriteBlock(w, b);
                break;
            case GetBlockReply:
                // The dominant "no such block" form: all six block fields, each null (§4).
                w.WriteNull("height"u8);
                w.WriteNull("minedBy"u8);
                w.WriteNull("nonce"u8);
                w.WriteNull("messages"u8);
                w.WriteNull("hash"u8);
                w.WriteNull("timestamp"u8);
                break;
            case Announce a:
                WriteBlock(w, a.Block);
                break;
            case NewWord n:
                w.WriteString("word"u8, n.Word);
                break;
            case Stats or Consensus:
                break;
            default:
                throw new ArgumentException($"no encoding for {message.GetType().Name}", nameof(message));
        }

        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan;
    }

    // Key order of the professor's replies: type, height, minedBy, nonce, messages, hash, timestamp.
    private static void WriteBlock(Utf8JsonWriter w, Block b)
    {
        w.WriteNumber("height"u8, b.Height);
        w.WriteString("minedBy"u8, b.MinedBy);
        w.WriteString("nonce"u8, b.Nonce);
        w.WriteStartArray("messages"u8);

        // Indexed, not foreach: enumerating an IReadOnlyList boxes its enumerator.
        var messages = b.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            w.WriteStringValue(messages[i]);
        }

        w.WriteEndArray();
        w.WriteString("hash"u8, b.Hash);
        w.WriteNumber("timestamp"u8, b.Timestamp);
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullableString(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}

/// <summary>Thrown when a message would not fit in one datagram peers can read.</summary>
public sealed class DatagramTooLargeException(string type, int size)
    : InvalidOperationException($"{type} would be {size} bytes; datagrams we send are at most {WireLimits.MaxOutboundDatagram}")
{
    public int Size { get; } = size;
}
