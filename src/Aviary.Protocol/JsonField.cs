using System.Text.Json;

namespace Aviary.Protocol;

/// <summary>What one top-level JSON value was, captured without building a DOM.</summary>
internal enum FieldKind : byte
{
    Absent,
    Null,
    String,
    Integer,
    OtherNumber,
    Bool,
    Array,
    Object,
}

/// <summary>One captured top-level field: its kind and, for strings and integers, its value.</summary>
internal struct JsonField
{
    public FieldKind Kind;
    public string? Text;
    public long Integer;

    public readonly bool Present => Kind != FieldKind.Absent;

    /// <summary>
    /// Captures the value the reader is on (strings and integers with their values, containers
    /// skipped); false when a container nests deeper than <see cref="WireLimits.MaxDepth"/>.
    /// </summary>
    public static bool TryCapture(ref Utf8JsonReader reader, out JsonField field)
    {
        field = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                field.Kind = FieldKind.Null;
                return true;
            case JsonTokenType.String:
                field.Kind = FieldKind.String;
                field.Text = reader.GetString();
                return true;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var n))
                {
                    field.Kind = FieldKind.Integer;
                    field.Integer = n;
                }
                else
                {
                    field.Kind = FieldKind.OtherNumber;
                }

                return true;
            case JsonTokenType.True:
            case JsonTokenType.False:
                field.Kind = FieldKind.Bool;
                return true;
            case JsonTokenType.StartArray:
                field.Kind = FieldKind.Array;
                return WireJson.TrySkip(ref reader);
            default:
                field.Kind = FieldKind.Object;
                return WireJson.TrySkip(ref reader);
        }
    }

    /// <summary>
    /// Reads an integer leniently: a JSON integer, or a string holding one (real peers send
    /// <c>"123"</c>). Floats, booleans and other strings are not integers.
    /// </summary>
    public readonly bool TryLenientInteger(out long value)
    {
        value = 0;
        if (Kind == FieldKind.Integer)
        {
            value = Integer;
            return true;
        }

        return Kind == FieldKind.String
            && Text is { Length: > 0 and <= 20 }
            && long.TryParse(Text.AsSpan().Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    public readonly string Describe() => Kind switch
    {
        FieldKind.Null => "null",
        FieldKind.String => "a string",
        FieldKind.Integer => "an integer",
        FieldKind.OtherNumber => "a non-integer number",
        FieldKind.Bool => "a boolean",
        FieldKind.Array => "an array",
        FieldKind.Object => "an object",
        _ => "absent",
    };
}
