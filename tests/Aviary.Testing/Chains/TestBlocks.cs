using Aviary.Protocol;

namespace Aviary.Testing;

/// <summary>
/// Short-hands for the chains most core tests use: <see cref="TestChain"/>'s defaults at difficulty 1
/// ("w" + height as the message), with a miner name and a genesis timestamp to choose.
/// </summary>
public static class TestBlocks
{
    public const int Difficulty = 1;

    public static List<Block> Chain(int count, string minedBy = "test", long timestamp = 1_700_000_000) =>
        Extend([], count, minedBy, timestamp);

    /// <summary><paramref name="prefix"/> (from a genesis) and <paramref name="count"/> blocks on its top.</summary>
    public static List<Block> Extend(IReadOnlyList<Block> prefix, int count, string minedBy = "test", long timestamp = 1_700_000_000)
    {
        var blocks = new List<Block>(prefix);
        for (var i = 0; i < count; i++)
        {
            blocks.Add(Mine(blocks.Count == 0 ? null : blocks[^1], minedBy, [$"w{blocks.Count}"], timestamp + blocks.Count));
        }

        return blocks;
    }

    /// <summary>The block after <paramref name="previous"/> (null: a genesis) with the given contents.</summary>
    public static Block Mine(Block? previous, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty = Difficulty) =>
        TestChain.MineBlock(previous is null ? 0 : previous.Height + 1, previous?.Hash, minedBy, messages, timestamp, difficulty);
}
