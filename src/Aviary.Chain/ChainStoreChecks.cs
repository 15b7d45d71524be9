using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>Argument checks every <see cref="IChainStore"/> makes before it changes anything.</summary>
internal static class ChainStoreChecks
{
    /// <summary>Throws unless the blocks' heights run from <paramref name="firstHeight"/> without a gap.</summary>
    public static void RequireConsecutive(IReadOnlyList<Block> blocks, long firstHeight, string operation)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Height != firstHeight + i)
            {
                throw new InvalidOperationException($"{operation}: block {i} has height {blocks[i].Height}, expected {firstHeight + i}");
            }
        }
    }

    /// <summary>Throws unless <paramref name="forkHeight"/> is within a stored chain of <paramref name="count"/> blocks (or just above it).</summary>
    public static void RequireForkHeight(long forkHeight, long count)
    {
        if (forkHeight < 0 || forkHeight > count)
        {
            throw new ArgumentOutOfRangeException(nameof(forkHeight), $"fork at {forkHeight}, the stored chain has {count} blocks");
        }
    }
}
