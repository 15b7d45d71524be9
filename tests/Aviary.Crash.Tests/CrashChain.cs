using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Crash.Tests;

/// <summary>A valid chain mined on the spot at difficulty 1 (about 16 hashes per block).</summary>
internal static class CrashChain
{
    public const int Difficulty = 1;

    public static List<Block> Mine(int count)
    {
        var blocks = new List<Block>(count);
        string? previous = null;
        for (var height = 0; height < count; height++)
        {
            string[] messages = [$"crash {height}"];
            for (var nonce = 0L; ; nonce++)
            {
                var candidate = new Block(height, "crash-test", nonce.ToString(CultureInfo.InvariantCulture), messages, new string('0', 64), 1_760_000_000 + height);
                var hash = BlockHasher.Compute(candidate, previous);
                if (BlockValidator.MeetsDifficulty(hash, Difficulty))
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
