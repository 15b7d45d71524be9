using System.Buffers;

namespace Aviary.Protocol;

/// <summary>Checks on the hex strings that name blocks.</summary>
public static class Hex
{
    /// <summary>Length of a block hash: SHA-256 as lowercase hex.</summary>
    public const int HashLength = 64;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>True for exactly 64 lowercase hex characters (vectorized: every decoded block checks two).</summary>
    public static bool IsHash(ReadOnlySpan<char> s) => s.Length == HashLength && !s.ContainsAnyExcept(LowerHexDigits);

    /// <summary>How many ASCII '0' characters end the string (the network's difficulty measure).</summary>
    public static int TrailingZeros(ReadOnlySpan<char> s)
    {
        var n = 0;
        for (var i = s.Length - 1; i >= 0 && s[i] == '0'; i--)
        {
            n++;
        }

        return n;
    }
}
