using Aviary.Chain;
using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Chain traffic: ANNOUNCE, STATS_REPLY, GET_BLOCK_REPLY, CONSENSUS, NEW_WORD.</summary>
public sealed partial class NodeCore
{
    /// <summary>Raised when a NEW_WORD arrives, after it was offered to <see cref="Words"/>.</summary>
    public event Action<string>? WordReceived;

    /// <summary>ANNOUNCEs for heights we already have.</summary>
    public long StaleAnnounces { get; private set; }

    private void OnChainMessage(PeerAddress from, Message message)
    {
        switch (message)
        {
            case Announce a:
                OnAnnounce(from, a.Block);
                break;
            case StatsReply s:
                OnStatsReply(from, s);
                break;
            case GetBlockReply r:
                OnGetBlockReply(from, r);
                break;
            case Consensus:
                Counters.ConsensusRequests++;
                var started = StartConsensus($"CONSENSUS from {from}");
                logger.LogInformation("CONSENSUS requested by {From}: {What}", from, started ? "started a round" : "absorbed by the running one");
                break;
            case NewWord w:
                OnNewWord(w.Word);
                break;
        }
    }

    /// <summary>
    /// A block offered to us (an ANNOUNCE, or one we mined): appended if it extends our tip, fetched
    /// toward if it is ahead, kept for later if a sync is running.
    /// </summary>
    public BlockVerdict OfferBlock(PeerAddress from, Block block)
    {
        if (Download is { } running)
        {
            running.Offer(block, Events.Now);
            if (pendingAnnounces.Count >= MaxPendingAnnounces)
            {
                pendingAnnounces.RemoveAt(0);
            }

            pendingAnnounces.Add((from, block));
            AfterDownloadStep();
            return BlockVerdict.Ok;
        }

        if (block.Height < Chain.Count)
        {
            StaleAnnounces++;
            return new(BlockRule.HeightMismatch, $"height {block.Height} is below our {Chain.Count} blocks");
        }

        var shape = BlockValidator.CheckStructure(block, block.Height);
        if (block.Height == Chain.Count)
        {
            var verdict = Chain.TryAppend(block);
            if (verdict.IsValid)
            {
                return verdict;
            }

            if (verdict.Rule != BlockRule.HashMismatch || block.Height == 0 || !shape.IsValid || !BlockValidator.MeetsDifficulty(block.Hash, Chain.Difficulty))
            {
                Counters.InvalidBlocks++;
                logger.LogDebug("block {Height} from {From} rejected: {Verdict}", block.Height, from, verdict);
                return verdict;
            }

            // Well formed and worked, but not on our tip: the top of a branch one block longer than
            // ours (two miners found a block at the same height), or a forgery. Fetched toward like a
            // block ahead: the fork search finds out which, at the cost of a few requests.
            logger.LogDebug("block {Height} from {From} does not extend our tip: checking its branch", block.Height, from);
        }

        if (!shape.IsValid || !BlockValidator.MeetsDifficulty(block.Hash, Chain.Difficulty))
        {
            Counters.InvalidBlocks++;
            return shape.IsValid ? new(BlockRule.InsufficientWork, "hash fails the difficulty") : shape;
        }

        var claim = new ChainClaim(block.Height + 1, block.Hash);
        if (badClaims.Contains(claim, Events.Now) || misbehaving.Contains(from, Events.Now))
        {
            return new(BlockRule.HashMismatch, "a chain already proven invalid");
        }

        if (unavailable.Contains(claim, Events.Now))
        {
            return new(BlockRule.HashMismatch, "a chain nobody would serve a moment ago");
        }

        // Ahead of us: fetch the gap from the announcer, helped by every other peer that has proven it
        // receives (an unproven one could not be sent enough requests to help).
        var now = Events.Now;
        BeginDownload(claim, [from], Peers.All.Select(p => p.Address).Where(p => p != from && IsProven(p) && !misbehaving.Contains(p, now)), block);
        return BlockVerdict.Ok;
    }

    private void OnAnnounce(PeerAddress from, Block block) => OfferBlock(ListeningAddress(from), block);

    /// <summary>
    /// Where the sender of a datagram listens: its own address if we track it, else the only tracked
    /// peer on the same host (real peers send from another socket, protocol.md §11), else its own.
    /// </summary>
    private PeerAddress ListeningAddress(PeerAddress from) =>
        Peers.Find(from) is null && PeerAddress.TryOnlyOnHost(from.Host, Peers.All, p => p.Address, out var only) ? only.Address : from;

    private void ProcessPendingAnnounces()
    {
        var pending = pendingAnnounces.OrderBy(b => b.Block.Height).ToList();
        pendingAnnounces.Clear();
        foreach (var (from, block) in pending)
        {
            if (Download is not null)
            {
                pendingAnnounces.Add((from, block));
                continue;
            }

            OfferBlock(from, block);
        }
    }
}
