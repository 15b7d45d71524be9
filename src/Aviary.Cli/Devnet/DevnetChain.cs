using Aviary.Mining;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>The devnet's starting chain: a genesis and a few blocks, mined in-process at the devnet's (low) difficulty.</summary>
internal static class DevnetChain
{
    public static List<Block> Mine(int count, int difficulty, DateTimeOffset now)
    {
        var start = now.ToUnixTimeSeconds() - (10L * count);
        return QuickMiner.MineChain(
            count,
            difficulty,
            "devnet-0",
            h => h == 0 ? ["Aviary devnet", "genesis"] : ["devnet", $"block {h}"],
            h => start + (10L * h));
    }
}
