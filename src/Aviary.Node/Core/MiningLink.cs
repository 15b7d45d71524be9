using Aviary.Chain;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>The core's side of mining: the word queue, blocks per miner, and appending then announcing our own blocks.</summary>
public sealed class MiningLink
{
    private readonly INodeContext node;
    private readonly GossipMembership membership;
    private readonly ChainSync sync;

    internal MiningLink(INodeContext node, GossipMembership membership, ChainSync sync)
    {
        this.node = node;
        this.membership = membership;
        this.sync = sync;
        MinerTally.Update(node.Chain, 0);
        node.Chain.Changed += from => MinerTally.Update(node.Chain, from);
    }

    /// <summary>Raised when a NEW_WORD arrives, after it was offered to <see cref="Words"/>.</summary>
    public event Action<string>? WordReceived;

    /// <summary>NEW_WORD words waiting for a block we mine (bounded, de-duplicated, validated).</summary>
    internal WordQueue Words { get; } = new();

    /// <summary>Blocks per <c>minedBy</c> over our chain, updated as the chain changes.</summary>
    internal MinerTally MinerTally { get; } = new();

    /// <summary>The miner attached to this node (it attaches itself on start), or null.</summary>
    public MiningCoordinator? Mining { get; internal set; }

    /// <summary>
    /// A block we mined: appended through <see cref="LocalChain"/> (so it is durable first), then ANNOUNCEd
    /// to every tracked peer. Refused while a sync runs (the tip it was mined on is about to move) and when
    /// it does not extend our tip.
    /// </summary>
    public BlockVerdict SubmitMined(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (sync.Download is not null)
        {
            return new(BlockRule.HeightMismatch, "a sync is running; our tip is about to move");
        }

        var verdict = node.Chain.TryAppend(block);
        if (!verdict.IsValid)
        {
            node.Logger.LogWarning("our mined block {Height} was refused: {Verdict}", block.Height, verdict);
            return verdict;
        }

        var peers = AnnounceBlock(block);
        node.Logger.LogInformation("mined block {Height} {Hash} with {Messages} messages; announced to {Peers} peers", block.Height, block.Hash, block.Messages.Count, peers);
        return verdict;
    }

    /// <summary>
    /// Sends ANNOUNCE for <paramref name="block"/> to every tracked peer, only if it is the block at its height
    /// in our chain. Returns the number of peers it was sent to.
    /// </summary>
    public int AnnounceBlock(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (node.Chain[block.Height] is not { } ours || ours.Hash != block.Hash)
        {
            return 0;
        }

        var announce = new Announce(ours);
        var sent = 0;
        foreach (var peer in membership.Peers.All)
        {
            if (node.Send(peer.Address, announce))
            {
                sent++;
            }
        }

        return sent;
    }

    internal void OnNewWord(string word)
    {
        if (Words.Add(word) is { } why)
        {
            node.Logger.LogDebug("NEW_WORD \"{Word}\" not queued: {Why}", word.Length > 40 ? word[..40] + "…" : word, why);
        }

        WordReceived?.Invoke(word);
    }
}
