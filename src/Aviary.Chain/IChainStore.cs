using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>
/// Where the main chain is kept durably. Every call that changes the chain is atomic: when it
/// returns, the change is durable; when it fails (it throws), the stored chain is as it was.
/// <see cref="Load"/> comes first: a store may refuse changes before it has been loaded and checked.
/// Changes must continue the stored heights without a gap, or they throw and change nothing.
/// </summary>
public interface IChainStore : IDisposable
{
    /// <summary>A short description for logs ("sqlite /path/chain.db", "in-memory").</summary>
    string Description { get; }

    /// <summary>
    /// The stored chain from genesis, in height order, after any repair: a store that finds damage
    /// keeps the longest valid prefix and reports what it dropped in <see cref="LoadReport"/>.
    /// </summary>
    IReadOnlyList<Block> Load(int difficulty);

    /// <summary>What the last <see cref="Load"/> found and repaired (empty when the store was sound).</summary>
    string LoadReport { get; }

    /// <summary>Appends blocks at the top of the chain (heights follow the stored top), in one transaction.</summary>
    void Append(IReadOnlyList<Block> blocks);

    /// <summary>
    /// Replaces every block at or above <paramref name="forkHeight"/> with <paramref name="blocks"/>
    /// (a reorg), in one transaction.
    /// </summary>
    void ReplaceFrom(long forkHeight, IReadOnlyList<Block> blocks);
}
