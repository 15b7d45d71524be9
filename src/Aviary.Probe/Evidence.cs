using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Aviary.Probe;

/// <summary>Helpers that turn what a peer sent into short, printable evidence and judge JSON shapes.</summary>
public static class Evidence
{
    /// <summary>Control characters escaped (a peer's bytes must not drive the terminal), cut at <paramref name="max"/>.</summary>
    public static string Printable(string text, int max = 240)
    {
        var b = new StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (b.Length >= max)
            {
                b.Append('…');
                break;
            }

            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202e')
            {
                b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    /// <summary>A JSON value's kind in words, for evidence ("int 8", "string \"8\"", "null", "absent").</summary>
    public static string Describe(JsonElement obj, string field)
    {
        if (!obj.TryGetProperty(field, out var v))
        {
            return "absent";
        }

        return v.ValueKind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.Number => v.TryGetInt64(out var n) ? $"int {n}" : $"number {v.GetRawText()}",
            JsonValueKind.String => $"string {Printable(v.GetRawText(), 80)}",
            JsonValueKind.True or JsonValueKind.False => $"bool {v.GetRawText()}",
            JsonValueKind.Array => "array",
            _ => "object",
        };
    }

    /// <summary>True when <paramref name="field"/> is a JSON integer; its value in <paramref name="value"/>.</summary>
    public static bool IsInt(JsonElement obj, string field, out long value)
    {
        value = 0;
        return obj.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out value);
    }

    /// <summary>True when <paramref name="field"/> is JSON null or absent.</summary>
    public static bool IsNullOrAbsent(JsonElement obj, string field) =>
        !obj.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null;

    /// <summary>Short form of a hash for evidence lines.</summary>
    public static string Short(string? hash) => hash is { Length: > 20 } ? $"{hash[..10]}…{hash[^8..]}" : hash ?? "null";
}
