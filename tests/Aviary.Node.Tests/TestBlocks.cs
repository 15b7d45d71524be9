using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>Valid chains mined on the spot at a tiny difficulty (a few hashes per block).</summary>
internal static class TestBlocks
{
    public const int Difficulty = 1;

    public static List<Block> Chain(int count, string minedBy = "test", long timestamp = 1_700_000_000) =>
        Extend([], count, minedBy, timestamp);

    public static List<Block> Extend(IReadOnlyList<Block> prefix, int count, string minedBy = "test", long timestamp = 1_700_000_000)
    {
        var blocks = new List<Block>(prefix);
        for (var i = 0; i < count; i++)
        {
            blocks.Add(Mine(blocks.Count == 0 ? null : blocks[^1], minedBy, [$"w{blocks.Count}"], timestamp + blocks.Count));
        }

        return blocks;
    }

    public static Block Mine(Block? previous, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty = Difficulty)
    {
        var height = previous is null ? 0 : previous.Height + 1;
        for (var nonce = 0L; ; nonce++)
        {
            var candidate = new Block(height, minedBy, nonce.ToString(CultureInfo.InvariantCulture), messages, new string('0', 64), timestamp);
            var hash = BlockHasher.Compute(candidate, previous?.Hash);
            if (BlockValidator.MeetsDifficulty(hash, difficulty))
            {
                return candidate with { Hash = hash };
            }
        }
    }
}
