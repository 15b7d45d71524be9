using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>
/// Our main chain: verified blocks from genesis, kept in memory and mirrored to an
/// <see cref="IChainStore"/> before any change becomes visible. Single-threaded (the core's thread).
/// </summary>
public sealed class LocalChain
{
    private readonly List<Block> blocks;
    private readonly IChainStore store;

    public LocalChain(IChainStore store, int difficulty)
    {
        this.store = store;
        Difficulty = difficulty;
        blocks = [.. store.Load(difficulty)];
    }

    /// <summary>Trailing '0' characters every block's hash needs.</summary>
    public int Difficulty { get; }

    /// <summary>Number of blocks (what STATS_REPLY calls height).</summary>
    public long Count => blocks.Count;

    /// <summary>The top block, or null for an empty chain.</summary>
    public Block? Top => blocks.Count == 0 ? null : blocks[^1];

    /// <summary>Hash of the top block, or null for an empty chain.</summary>
    public string? TopHash => Top?.Hash;

    /// <summary>Raised after the chain changed (append or reorg), with the first height that changed.</summary>
    public event Action<long>? Changed;

    /// <summary>The block at <paramref name="height"/>, or null when we have none there.</summary>
    public Block? this[long height] => height >= 0 && height < blocks.Count ? blocks[(int)height] : null;

    /// <summary>Validates <paramref name="block"/> as the next block and appends it durably.</summary>
    public BlockVerdict TryAppend(Block block)
    {
        var verdict = BlockValidator.Validate(block, TopHash, Count, Difficulty);
        if (verdict.IsValid)
        {
            store.Append([block]);
            blocks.Add(block);
            Changed?.Invoke(block.Height);
        }

        return verdict;
    }

    /// <summary>
    /// Replaces everything from <paramref name="forkHeight"/> up with <paramref name="branch"/>, which
    /// must start at <paramref name="forkHeight"/>, link to our block below it, validate block by
    /// block, and be longer than what it replaces. All or nothing: on any failure our chain is untouched.
    /// </summary>
    public BlockVerdict TryAdopt(long forkHeight, IReadOnlyList<Block> branch)
    {
        if (forkHeight < 0 || forkHeight > Count)
        {
            return new(BlockRule.HeightMismatch, $"fork height {forkHeight} is outside our chain of {Count}");
        }

        if (forkHeight + branch.Count <= Count)
        {
            return new(BlockRule.HeightMismatch, $"a branch to height {forkHeight + branch.Count} is not longer than our {Count}");
        }

        var verdict = VerifyBranch(forkHeight, branch);
        if (!verdict.IsValid)
        {
            return verdict;
        }

        store.ReplaceFrom(forkHeight, branch);
        blocks.RemoveRange((int)forkHeight, blocks.Count - (int)forkHeight);
        blocks.AddRange(branch);
        Changed?.Invoke(forkHeight);
        return BlockVerdict.Ok;
    }

    /// <summary>
    /// Adopts a branch whose blocks the caller has already validated one by one against their
    /// predecessors (at this chain's difficulty), as the sync does while downloading. The link of the
    /// first block to our block below the fork, the heights and the length are checked again here.
    /// </summary>
    public BlockVerdict AdoptVerified(long forkHeight, IReadOnlyList<Block> branch)
    {
        if (forkHeight < 0 || forkHeight > Count || branch.Count == 0 || forkHeight + branch.Count <= Count)
        {
            return new(BlockRule.HeightMismatch, $"a branch of {branch.Count} from {forkHeight} does not make our chain of {Count} longer");
        }

        var first = BlockValidator.Validate(branch[0], forkHeight == 0 ? null : blocks[(int)forkHeight - 1].Hash, forkHeight, Difficulty);
        if (!first.IsValid || branch[^1].Height != forkHeight + branch.Count - 1)
        {
            return first.IsValid ? new(BlockRule.HeightMismatch, "branch heights are not consecutive") : first;
        }

        store.ReplaceFrom(forkHeight, branch);
        blocks.RemoveRange((int)forkHeight, blocks.Count - (int)forkHeight);
        blocks.AddRange(branch);
        Changed?.Invoke(forkHeight);
        return BlockVerdict.Ok;
    }

    /// <summary>Validates a branch that would start at <paramref name="forkHeight"/>, without changing anything.</summary>
    public BlockVerdict VerifyBranch(long forkHeight, IReadOnlyList<Block> branch)
    {
        var previousHash = forkHeight == 0 ? null : blocks[(int)forkHeight - 1].Hash;
        var height = forkHeight;
        foreach (var block in branch)
        {
            var verdict = BlockValidator.Validate(block, previousHash, height, Difficulty);
            if (!verdict.IsValid)
            {
                return verdict with { Detail = $"block {height}: {verdict.Detail}" };
            }

            previousHash = block.Hash;
            height++;
        }

        return BlockVerdict.Ok;
    }

    /// <summary>A read-only view of blocks from <paramref name="from"/> (inclusive), at most <paramref name="count"/>.</summary>
    public IReadOnlyList<Block> Range(long from, int count)
    {
        from = Math.Clamp(from, 0, blocks.Count);
        count = (int)Math.Min(count, blocks.Count - from);
        return blocks.GetRange((int)from, Math.Max(0, count));
    }
}
