using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>Reader settings and helpers shared by the datagram decoder and the chain file reader.</summary>
internal static class WireJson
{
    /// <summary>
    /// One level more than <see cref="WireLimits.MaxDepth"/>: the codec enforces the limit itself
    /// (<see cref="TrySkip"/>) so that "too deep" never has to be told apart from other reader errors
    /// by an exception's message.
    /// </summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = WireLimits.MaxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>True when the token opens a level no deeper than <see cref="WireLimits.MaxDepth"/>.</summary>
    public static bool DepthAllowed(ref readonly Utf8JsonReader reader) =>
        reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)
        || reader.CurrentDepth < WireLimits.MaxDepth;

    /// <summary>
    /// Skips the value the reader is on, leaving it on the value's last token; false (reader left
    /// mid-value) when something inside nests deeper than <see cref="WireLimits.MaxDepth"/>.
    /// </summary>
    public static bool TrySkip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        if (!DepthAllowed(ref reader))
        {
            return false;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read())
        {
            if (reader.CurrentDepth == depth)
            {
                return true; // the matching end token
            }

            if (!DepthAllowed(ref reader))
            {
                return false;
            }
        }

        return true; // not reached: a final-block reader throws on a value cut short
    }

    /// <summary>
    /// The unescaped UTF-8 of the current string or property name when it fits
    /// <paramref name="buffer"/>; false for anything longer (which then matches no known name).
    /// </summary>
    public static bool TryShortText(ref readonly Utf8JsonReader reader, Span<byte> buffer, out ReadOnlySpan<byte> text)
    {
        text = default;
        var raw = reader.ValueSpan;
        if (raw.Length > buffer.Length)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            text = raw;
            return true;
        }

        // Unescaping never lengthens the text, so it fits.
        text = buffer[..reader.CopyString(buffer)];
        return true;
    }
}
