using Aviary.Chain;
using Aviary.Node.Core;

namespace Aviary.Census;

/// <summary>A peer as the node's membership holds it now.</summary>
public sealed record PeerSeen(string Host, int Port, string Name, DateTimeOffset LastHeard, long? Height, string? Hash, DateTimeOffset? StatsAt);

/// <summary>Blocks a miner has on the node's chain.</summary>
public sealed record MinerBlocks(string Name, long Blocks);

/// <summary>What a node's census reads from its node (on the node's thread): its peers, its chain's top and the miners of its chain.</summary>
public sealed record NodeReading(IReadOnlyList<PeerSeen> Peers, long Height, string? TopHash, IReadOnlyList<MinerBlocks> Miners)
{
    /// <summary>Most miners listed.</summary>
    public const int TopMiners = 20;

    /// <summary>Reads <paramref name="core"/>; call on the core's thread only.</summary>
    public static NodeReading Read(NodeCore core, MinerTally tally) => new(
        [.. core.Peers.All.Select(p => new PeerSeen(p.Address.Host, p.Address.Port, p.Name, p.LastHeard, p.Height, p.TopHash, p.StatsAt))],
        core.Chain.Count,
        core.Chain.TopHash,
        tally.Update(core.Chain, TopMiners));
}

/// <summary>
/// Blocks per miner on a chain, kept up to date incrementally: only blocks added since the last update
/// are counted, and the whole chain again when the block it stopped at was replaced (a reorg).
/// Use from one thread (the core's).
/// </summary>
public sealed class MinerTally
{
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    private long counted;
    private string? lastHash;

    public IReadOnlyList<MinerBlocks> Update(LocalChain chain, int top)
    {
        if (counted > chain.Count || (counted > 0 && chain[counted - 1]?.Hash != lastHash))
        {
            counts.Clear();
            counted = 0;
        }

        for (; counted < chain.Count; counted++)
        {
            var block = chain[counted]!;
            counts[block.MinedBy] = counts.GetValueOrDefault(block.MinedBy) + 1;
            lastHash = block.Hash;
        }

        return [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top).Select(c => new MinerBlocks(c.Key, c.Value))];
    }
}
