using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Chain traffic: ANNOUNCE, STATS_REPLY, GET_BLOCK_REPLY, CONSENSUS, NEW_WORD.</summary>
public sealed partial class NodeCore
{
    /// <summary>Raised when a NEW_WORD arrives (the miner queues it).</summary>
    public event Action<string>? WordReceived;

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
            case Consensus:
                Counters.ConsensusRequests++;
                logger.LogInformation("CONSENSUS requested by {From}", from);
                break;
            case NewWord w:
                WordReceived?.Invoke(w.Word);
                break;
        }
    }

    private void OnAnnounce(PeerAddress from, Block block)
    {
        if (block.Height != Chain.Count)
        {
            return;
        }

        var verdict = Chain.TryAppend(block);
        if (!verdict.IsValid)
        {
            Counters.InvalidBlocks++;
            logger.LogDebug("ANNOUNCE of block {Height} from {From} rejected: {Verdict}", block.Height, from, verdict);
        }
    }

    private void OnStatsReply(PeerAddress from, StatsReply reply)
    {
        if (Peers.Find(from) is { } peer)
        {
            peer.Height = reply.Height;
            peer.TopHash = reply.Hash;
            peer.StatsAt = Events.Now;
        }
    }
}
