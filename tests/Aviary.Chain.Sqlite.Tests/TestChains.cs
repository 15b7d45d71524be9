using System.Globalization;

using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>Mines small valid chains at low difficulty with a plain nonce loop.</summary>
internal static class TestChains
{
    public const long FirstTimestamp = 1_700_000_000;

    /// <summary><paramref name="count"/> blocks on top of <paramref name="parent"/> (null: from genesis).</summary>
    public static List<Block> Mine(int count, int difficulty, Block? parent = null, string minedBy = "tester", string noncePrefix = "")
    {
        var blocks = new List<Block>(count);
        var previous = parent;
        for (var i = 0; i < count; i++)
        {
            var height = previous is null ? 0 : previous.Height + 1;
            var block = MineOne(height, previous?.Hash, minedBy, [$"{minedBy[..Math.Min(minedBy.Length, 8)]} {height}", "hello"], FirstTimestamp + height, difficulty, noncePrefix);
            blocks.Add(block);
            previous = block;
        }

        return blocks;
    }

    /// <summary>The first block (nonce prefix + counter) whose hash meets <paramref name="difficulty"/>.</summary>
    public static Block MineOne(long height, string? previousHash, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, string noncePrefix = "")
    {
        for (long n = 0; ; n++)
        {
            var candidate = new Block(height, minedBy, noncePrefix + n.ToString(CultureInfo.InvariantCulture), messages, string.Empty, timestamp);
            var hash = BlockHasher.Compute(candidate, previousHash);
            if (BlockValidator.MeetsDifficulty(hash, difficulty))
            {
                return candidate with { Hash = hash };
            }
        }
    }

    /// <summary>True when <paramref name="blocks"/> is a valid chain from genesis at <paramref name="difficulty"/>.</summary>
    public static bool IsValidChain(IReadOnlyList<Block> blocks, int difficulty)
    {
        string? previous = null;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (!BlockValidator.Validate(blocks[i], previous, i, difficulty).IsValid)
            {
                return false;
            }

            previous = blocks[i].Hash;
        }

        return true;
    }

    /// <summary>Asserts <paramref name="prefix"/> equals the first blocks of <paramref name="chain"/>.</summary>
    public static void AssertPrefix(IReadOnlyList<Block> chain, IReadOnlyList<Block> prefix)
    {
        Assert.True(prefix.Count <= chain.Count, $"{prefix.Count} blocks is longer than the chain's {chain.Count}");
        Assert.Equal(chain.Take(prefix.Count), prefix);
    }
}
