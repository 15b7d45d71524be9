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

    public static JsonField Capture(ref Utf8JsonReader reader)
    {
        var field = default(JsonField);
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                field.Kind = FieldKind.Null;
                break;
            case JsonTokenType.String:
                field.Kind = FieldKind.String;
                field.Text = reader.GetString();
                break;
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

                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                field.Kind = FieldKind.Bool;
                break;
            case JsonTokenType.StartArray:
                field.Kind = FieldKind.Array;
                reader.Skip();
                break;
            default:
                field.Kind = FieldKind.Object;
                reader.Skip();
                break;
        }

        return field;
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
