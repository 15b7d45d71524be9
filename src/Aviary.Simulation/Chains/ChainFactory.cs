using Aviary.Protocol;

namespace Aviary.Simulation.Chains;

/// <summary>Valid chains for a scenario: the reference chain, its prefixes, and shorter forks off it.</summary>
public static class ChainFactory
{
    /// <summary>A valid chain of <paramref name="length"/> blocks from a genesis, mined by <paramref name="minedBy"/>.</summary>
    public static List<Block> Build(int length, string minedBy, int difficulty) => Extend([], length, minedBy, difficulty);

    /// <summary><paramref name="prefix"/> plus <paramref name="count"/> more valid blocks mined by <paramref name="minedBy"/>.</summary>
    public static List<Block> Extend(IReadOnlyList<Block> prefix, int count, string minedBy, int difficulty)
    {
        var blocks = new List<Block>(prefix.Count + count);
        blocks.AddRange(prefix);
        for (var i = 0; i < count; i++)
        {
            var top = blocks.Count == 0 ? null : blocks[^1];
            blocks.Add(SimMiner.Mine(top, minedBy, [$"{minedBy[..Math.Min(minedBy.Length, 12)]} {blocks.Count}"], SimMiner.GenesisTime + (blocks.Count * 60), difficulty));
        }

        return blocks;
    }

    /// <summary>The first <paramref name="length"/> blocks of <paramref name="chain"/>.</summary>
    public static List<Block> Prefix(IReadOnlyList<Block> chain, int length) => [.. chain.Take(length)];

    /// <summary>A fork: the first <paramref name="common"/> blocks of <paramref name="chain"/>, then <paramref name="branch"/> blocks of its own.</summary>
    public static List<Block> Fork(IReadOnlyList<Block> chain, int common, int branch, string minedBy, int difficulty) =>
        Extend(Prefix(chain, common), branch, minedBy, difficulty);
}
