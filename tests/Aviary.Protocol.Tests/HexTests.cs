namespace Aviary.Protocol.Tests;

/// <summary>What counts as a block hash on the wire: exactly 64 lowercase hex characters, nothing else.</summary>
public sealed class HexTests
{
    private const string Real = "00000000b1b5bbd2f74f6a40b6ee7e3c1d1d3cfa6a2e64d1e6c3dc52e0c8f5a9";

    [Fact]
    public void Accepts_64_lowercase_hex_characters()
    {
        Assert.True(Hex.IsHash(Real));
        Assert.True(Hex.IsHash(new string('0', 64)));
        Assert.True(Hex.IsHash(string.Concat(Enumerable.Repeat("0123456789abcdef", 4))));
    }

    [Theory]
    [InlineData(0, 'A')]
    [InlineData(63, 'F')]
    [InlineData(17, 'g')]
    [InlineData(40, ' ')]
    [InlineData(5, '０')]
    [InlineData(60, 'é')]
    [InlineData(31, '\0')]
    public void Refuses_any_other_character_anywhere(int at, char c)
    {
        var chars = Real.ToCharArray();
        chars[at] = c;
        Assert.False(Hex.IsHash(new string(chars)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(128)]
    public void Refuses_any_other_length(int length)
    {
        Assert.False(Hex.IsHash(new string('a', length)));
    }
}
