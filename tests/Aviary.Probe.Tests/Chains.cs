using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Probe.Tests;

/// <summary>The prober tests' chains: mined by the test kit with fixed timestamps.</summary>
internal static class Chains
{
    public static List<Block> Mine(int count, int difficulty, string minedBy = "chain-maker") =>
        new TestChain { MinedBy = minedBy, Difficulty = difficulty, FirstTimestamp = 1_733_000_000, Messages = h => [$"word {h}"] }.Mine(count);
}
