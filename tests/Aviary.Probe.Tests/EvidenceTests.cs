using System.Text.Json;

namespace Aviary.Probe.Tests;

/// <summary>Evidence shown to people: printable, bounded, and honest about JSON types.</summary>
public sealed class EvidenceTests
{
    [Fact]
    public void Control_characters_are_escaped_and_long_text_is_cut()
    {
        Assert.Equal("a\\u001bb\\u000ac\\u202e", Evidence.Printable("a\u001bb\nc\u202e"));
        Assert.Equal("abc…", Evidence.Printable("abcdef", 3));
    }

    [Theory]
    [InlineData("""{"h":8}""", "int 8")]
    [InlineData("""{"h":"8"}""", "string \"8\"")]
    [InlineData("""{"h":null}""", "null")]
    [InlineData("""{}""", "absent")]
    [InlineData("""{"h":1.5}""", "number 1.5")]
    [InlineData("""{"h":[1]}""", "array")]
    public void Json_values_are_described_by_type(string json, string expected) =>
        Assert.Equal(expected, Evidence.Describe(JsonDocument.Parse(json).RootElement, "h"));
}
