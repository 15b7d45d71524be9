using Aviary.Mining;
using Aviary.Protocol;

namespace Aviary.Probe.Tests;

/// <summary>Valid chains mined on the spot with fixed timestamps.</summary>
internal static class Chains
{
    public static List<Block> Mine(int count, int difficulty, string minedBy = "chain-maker") =>
        QuickMiner.MineChain(count, difficulty, minedBy, h => [$"word {h}"], h => 1_733_000_000 + h);
}
