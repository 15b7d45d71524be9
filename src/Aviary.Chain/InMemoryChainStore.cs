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
        ChainStoreChecks.RequireConsecutive(added, blocks.Count, "append");
        blocks.AddRange(added);
    }

    public void ReplaceFrom(long forkHeight, IReadOnlyList<Block> replacement)
    {
        ChainStoreChecks.RequireForkHeight(forkHeight, blocks.Count);
        ChainStoreChecks.RequireConsecutive(replacement, forkHeight, "replace");
        blocks.RemoveRange((int)forkHeight, blocks.Count - (int)forkHeight);
        blocks.AddRange(replacement);
    }

    public void Dispose()
    {
    }
}
