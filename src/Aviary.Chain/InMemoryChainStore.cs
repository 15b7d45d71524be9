using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>A store that keeps the chain in memory only (tests, <c>--in-memory</c>).</summary>
public sealed class InMemoryChainStore : IChainStore
{
    private readonly List<Block> blocks = [];

    public string Description => "in-memory";

    public string LoadReport => string.Empty;

    public IReadOnlyList<Block> Load(int difficulty) => [.. blocks];

    public void Append(IReadOnlyList<Block> added)
    {
        if (added.Count > 0 && added[0].Height != blocks.Count)
        {
            throw new InvalidOperationException($"append at height {added[0].Height}, the stored chain has {blocks.Count} blocks");
        }

        blocks.AddRange(added);
    }

    public void ReplaceFrom(long forkHeight, IReadOnlyList<Block> replacement)
    {
        if (forkHeight < 0 || forkHeight > blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(forkHeight), $"fork at {forkHeight}, the stored chain has {blocks.Count} blocks");
        }

        blocks.RemoveRange((int)forkHeight, blocks.Count - (int)forkHeight);
        blocks.AddRange(replacement);
    }

    public void Dispose()
    {
    }
}
