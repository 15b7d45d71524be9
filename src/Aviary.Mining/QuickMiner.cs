using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// A plain single-threaded nonce search for low difficulties: the prober's ANNOUNCE check and the
/// devnet's starting chain. The hash input is laid out once; each try rewrites only the decimal
/// nonce and checks the digest's trailing zero nibbles without making hex.
/// </summary>
public static class QuickMiner
{
    /// <summary>
    /// Searches nonces 0, 1, 2… for a block on top of <paramref name="previousHash"/> whose hash ends
    /// in <paramref name="difficulty"/> '0's. Null when <paramref name="cancel"/> fires first.
    /// </summary>
    public static Block? Mine(long height, string? previousHash, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, CancellationToken cancel = default)
    {
        var template = new Block(height, minedBy, string.Empty, messages, new string('0', 64), timestamp);
        var prefixLength = BlockHasher.InputLength(template, previousHash);
        var input = new byte[prefixLength + 20];
        var at = 0;
        if (previousHash is not null)
        {
            at += Encoding.UTF8.GetBytes(previousHash, input);
        }

        at += Encoding.UTF8.GetBytes(minedBy, input.AsSpan(at));
        foreach (var m in messages)
        {
            at += Encoding.UTF8.GetBytes(m, input.AsSpan(at));
        }

        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(at), (ulong)timestamp);
        at += 8;
        Span<byte> digest = stackalloc byte[32];
        for (ulong nonce = 0; ; nonce++)
        {
            if ((nonce & 0xFFFF) == 0 && cancel.IsCancellationRequested)
            {
                return null;
            }

            Utf8Formatter.TryFormat(nonce, input.AsSpan(at), out var digits);
            SHA256.HashData(input.AsSpan(0, at + digits), digest);
            if (TrailingZeroNibbles(digest) >= difficulty)
            {
                var nonceText = Encoding.ASCII.GetString(input, at, digits);
                return template with { Nonce = nonceText, Hash = Convert.ToHexStringLower(digest) };
            }
        }
    }

    /// <summary>Mines a chain of <paramref name="count"/> blocks from a genesis.</summary>
    public static List<Block> MineChain(int count, int difficulty, string minedBy, Func<long, IReadOnlyList<string>> messages, Func<long, long> timestamp)
    {
        var blocks = new List<Block>(count);
        for (var h = 0; h < count; h++)
        {
            blocks.Add(Mine(h, h == 0 ? null : blocks[^1].Hash, minedBy, messages(h), timestamp(h), difficulty)!);
        }

        return blocks;
    }

    /// <summary>'0' characters at the end of the digest's lowercase hex (the low nibble of the last byte comes last).</summary>
    public static int TrailingZeroNibbles(ReadOnlySpan<byte> digest)
    {
        var n = 0;
        for (var i = digest.Length - 1; i >= 0; i--)
        {
            var b = digest[i];
            if (b == 0)
            {
                n += 2;
                continue;
            }

            return (b & 0x0F) == 0 ? n + 1 : n;
        }

        return n;
    }
}
