using System.Buffers;
using System.Text.Json;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining.Remote;

/// <summary>
/// The remote worker protocol's codec: one compact JSON object per line. Decoding is total: any bytes
/// give a message or a reason, never an exception. Unknown keys are ignored, wrong types are not.
/// </summary>
public static class WorkerLine
{
    /// <summary>Longest line a worker may send (bytes, newline excluded): hello, solution and stats are far shorter.</summary>
    public const int MaxWorkerLine = 1024;

    /// <summary>Longest line the node may send: a job carries up to 10 messages and a name, escaped.</summary>
    public const int MaxNodeLine = 16 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 4 };

    /// <summary>The message as one line of UTF-8 JSON, newline included.</summary>
    public static byte[] Encode(WorkerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", message.Type);
            switch (message)
            {
                case WorkerHello h:
                    w.WriteString("name", h.Name);
                    w.WriteNumber("threads", h.Threads);
                    w.WriteString("tier", h.Tier);
                    break;
                case WorkerJob j:
                    w.WriteNumber("job", j.Job);
                    w.WriteNumber("height", j.Template.Height);
                    w.WriteString("previousHash", j.Template.PreviousHash);
                    w.WriteString("minedBy", j.Template.MinedBy);
                    w.WriteStartArray("messages");
                    foreach (var m in j.Template.Messages)
                    {
                        w.WriteStringValue(m);
                    }

                    w.WriteEndArray();
                    w.WriteNumber("timestamp", j.Template.Timestamp);
                    w.WriteNumber("difficulty", j.Difficulty);
                    w.WriteNumber("start", j.Start);
                    w.WriteNumber("count", j.Count);
                    break;
                case WorkerSolution s:
                    w.WriteNumber("job", s.Job);
                    w.WriteString("nonce", s.Nonce);
                    break;
                case WorkerCancel c:
                    w.WriteNumber("job", c.Job);
                    break;
                case WorkerStats s:
                    w.WriteNumber("attemptsPerSecond", double.IsFinite(s.AttemptsPerSecond) ? Math.Round(s.AttemptsPerSecond) : 0);
                    break;
                case WorkerBye b:
                    w.WriteString("reason", b.Reason);
                    break;
                default:
                    throw new ArgumentException($"no encoding for {message.GetType().Name}", nameof(message));
            }

            w.WriteEndObject();
        }

        var line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>Decodes one line (without its newline); false with a reason when it is not a valid message.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> line, out WorkerMessage? message, out string error)
    {
        message = null;
        try
        {
            using var doc = JsonDocument.Parse(line, ParseOptions);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                error = "not a JSON object with a string \"type\"";
                return false;
            }

            message = type.GetString() switch
            {
                "hello" => Hello(root),
                "job" => Job(root),
                "solution" => new WorkerSolution(Long(root, "job", 1), String(root, "nonce", BlockValidator.MaxNonceLength)),
                "cancel" => new WorkerCancel(Long(root, "job", 1)),
                "stats" => Stats(root),
                "bye" => new WorkerBye(String(root, "reason", 200)),
                var other => throw new FormatException($"unknown type \"{other}\""),
            };
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            message = null;
            error = e.Message;
            return false;
        }
    }

    private static WorkerHello Hello(JsonElement root)
    {
        var threads = Long(root, "threads", 0);
        return threads > 4096
            ? throw new FormatException("\"threads\" over 4096")
            : new WorkerHello(String(root, "name", WorkerHello.MaxName), (int)threads, String(root, "tier", WorkerHello.MaxTier));
    }

    private static WorkerJob Job(JsonElement root)
    {
        var previous = root.TryGetProperty("previousHash", out var p) && p.ValueKind == JsonValueKind.Null ? null : String(root, "previousHash", Hex.HashLength);
        if (!root.TryGetProperty("messages", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("\"messages\" must be an array");
        }

        var messages = new List<string>();
        foreach (var m in list.EnumerateArray())
        {
            messages.Add(m.ValueKind == JsonValueKind.String && messages.Count < BlockValidator.MaxMessages ? m.GetString()! : throw new FormatException("\"messages\" must hold 1 to 10 strings"));
        }

        var template = new BlockTemplate(previous, Long(root, "height", 0), String(root, "minedBy", 1024), messages, Long(root, "timestamp", 0));
        if (template.Problem() is { } problem)
        {
            throw new FormatException(problem);
        }

        var difficulty = Long(root, "difficulty", 0);
        var start = ULong(root, "start");
        var count = ULong(root, "count");
        if (difficulty > Hex.HashLength || count == 0 || start >= NonceLayout.CounterLimit || count > NonceLayout.CounterLimit - start)
        {
            throw new FormatException("difficulty or counter range out of bounds");
        }

        return new WorkerJob(Long(root, "job", 1), template, (int)difficulty, start, count);
    }

    private static WorkerStats Stats(JsonElement root)
    {
        if (!root.TryGetProperty("attemptsPerSecond", out var rate) || rate.ValueKind != JsonValueKind.Number || !rate.TryGetDouble(out var value) || !double.IsFinite(value) || value < 0)
        {
            throw new FormatException("\"attemptsPerSecond\" must be a non-negative number");
        }

        return new WorkerStats(value);
    }

    private static long Long(JsonElement root, string name, long min) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min
            ? n
            : throw new FormatException($"\"{name}\" must be an integer of at least {min}");

    private static ulong ULong(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n)
            ? n
            : throw new FormatException($"\"{name}\" must be a non-negative integer");

    private static string String(JsonElement root, string name, int maxCodePoints)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"\"{name}\" must be a string");
        }

        var s = v.GetString()!;
        return BlockValidator.CodePoints(s) <= maxCodePoints ? s : throw new FormatException($"\"{name}\" is longer than {maxCodePoints} characters");
    }
}
