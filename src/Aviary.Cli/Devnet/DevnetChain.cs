using Aviary.Mining;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>The devnet's starting chain: a genesis and a few blocks, mined in-process at the devnet's (low) difficulty.</summary>
internal static class DevnetChain
{
    /// <summary>Mines <paramref name="count"/> blocks; <paramref name="progress"/> hears the number mined so far after each.</summary>
    public static List<Block> Mine(int count, int difficulty, DateTimeOffset now, Action<int>? progress = null, CancellationToken cancel = default)
    {
        var start = now.ToUnixTimeSeconds() - (10L * count);
        var blocks = new List<Block>(count);
        for (var h = 0; h < count; h++)
        {
            IReadOnlyList<string> messages = h == 0 ? ["Aviary devnet", "genesis"] : ["devnet", $"block {h}"];
            var block = QuickMiner.Mine(h, h == 0 ? null : blocks[^1].Hash, "devnet-0", messages, start + (10L * h), difficulty, cancel);
            if (block is null)
            {
                cancel.ThrowIfCancellationRequested();
            }

            blocks.Add(block!);
            progress?.Invoke(blocks.Count);
        }

        return blocks;
    }
}
