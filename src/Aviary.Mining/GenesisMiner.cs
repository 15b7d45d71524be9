using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>Mines the first block of a new chain (height 0, no previous hash), e.g. for a devnet.</summary>
public static class GenesisMiner
{
    /// <summary>
    /// Mines a genesis block on one thread with <paramref name="tier"/> (default: the best this machine has).
    /// Deterministic: the same arguments give the same block (the first counter that works). Null only when cancelled.
    /// </summary>
    public static Block? Mine(string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, IHashTier? tier = null, CancellationToken cancellationToken = default) =>
        (tier ?? HashTiers.Best).Search(BlockTemplate.Genesis(minedBy, messages, timestamp), 0, NonceLayout.CounterLimit, difficulty, cancellationToken);

    /// <summary>Mines a genesis block with <paramref name="miner"/>'s threads; whichever valid block is found first.</summary>
    public static Task<Block?> MineAsync(Miner miner, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(miner);
        return miner.MineAsync(BlockTemplate.Genesis(minedBy, messages, timestamp), difficulty, cancellationToken);
    }
}
