using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>
/// The verified blocks of a reorg download that stalled: a branch leaving our chain at
/// <paramref name="ForkHeight"/> (whose first block links to <paramref name="ParentHash"/>, our block
/// below the fork). Kept for the next download, which resumes from it where its claim contains it.
/// </summary>
public sealed record SavedBranch(long ForkHeight, string? ParentHash, IReadOnlyList<Block> Blocks)
{
    /// <summary>The height after its top block.</summary>
    public long End => ForkHeight + Blocks.Count;

    /// <summary>True while it still leaves <paramref name="chain"/> where it did (our chain below the fork is unchanged, and it is a fork, not an extension).</summary>
    public bool FitsOn(LocalChain chain) =>
        Blocks.Count > 0 && ForkHeight < chain.Count && (ForkHeight == 0 ? ParentHash is null : chain[ForkHeight - 1]?.Hash == ParentHash);
}
