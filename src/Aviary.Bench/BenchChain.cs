using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Bench;

/// <summary>Valid chains for benchmarks, mined on the spot at a tiny difficulty.</summary>
internal static class BenchChain
{
    public static List<Block> Mine(int count, int difficulty, string minedBy = "bench")
    {
        var blocks = new List<Block>(count);
        string? previous = null;
        for (var height = 0; height < count; height++)
        {
            var messages = new[] { $"block {height}", "aviary bench" };
            for (var nonce = 0L; ; nonce++)
            {
                var candidate = new Block(height, minedBy, nonce.ToString(CultureInfo.InvariantCulture), messages, new string('0', 64), 1_733_000_000 + height);
                var hash = BlockHasher.Compute(candidate, previous);
                if (BlockValidator.MeetsDifficulty(hash, difficulty))
                {
                    blocks.Add(candidate with { Hash = hash });
                    previous = hash;
                    break;
                }
            }
        }

        return blocks;
    }
}
