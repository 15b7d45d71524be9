using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>The store tests' chains (mined by the test kit) and checks on them.</summary>
internal static class TestChains
{
    public const long FirstTimestamp = 1_700_000_000;

    /// <summary><paramref name="count"/> blocks on top of <paramref name="parent"/> (null: from genesis), mined by the test kit.</summary>
    public static List<Block> Mine(int count, int difficulty, Block? parent = null, string minedBy = "tester", string noncePrefix = "") =>
        new TestChain
        {
            MinedBy = minedBy,
            Difficulty = difficulty,
            FirstTimestamp = FirstTimestamp,
            Messages = h => [$"{minedBy[..Math.Min(minedBy.Length, 8)]} {h}", "hello"],
            NoncePrefix = noncePrefix,
        }.After(parent, count);

    /// <summary>The first block (nonce prefix + counter) whose hash meets <paramref name="difficulty"/>.</summary>
    public static Block MineOne(long height, string? previousHash, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, string noncePrefix = "") =>
        TestChain.MineBlock(height, previousHash, minedBy, messages, timestamp, difficulty, noncePrefix);

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
