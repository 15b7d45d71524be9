using Aviary.Node.Limits;
using Aviary.Protocol;

namespace Aviary.Node.Core;

/// <summary>Answers STATS at once, and GET_BLOCK at once or at the pace of a peer whose socket drops our bursts.</summary>
internal sealed class BlockServing(INodeContext node)
{
    private ScheduledEvent? paceTimer;

    /// <summary>Paces GET_BLOCK_REPLYs to peers that re-ask for what we just answered.</summary>
    internal ReplyPacer Pacer { get; } = new(node.Options.Pacing);

    public void OnStats(PeerAddress from) => node.Send(from, new StatsReply(node.Chain.Count, node.Chain.TopHash));

    public void OnGetBlock(PeerAddress from, GetBlock request, DateTimeOffset now)
    {
        if (request.Height is not { } h || node.Chain[h] is not { } block)
        {
            node.Send(from, GetBlockReply.Missing);
            return;
        }

        switch (Pacer.OnRequest(from, h, now))
        {
            case PaceDecision.Now:
                node.Send(from, new GetBlockReply(block));
                break;
            case PaceDecision.Queued:
                paceTimer ??= node.Events.After(TimeSpan.Zero, DrainPaced);
                break;
            default:
                node.Counters.Withhold(WithholdReason.PaceQueueFull, MessageTypes.GetBlockReply);
                break;
        }
    }

    private void DrainPaced()
    {
        paceTimer = null;
        var next = Pacer.Drain(node.Now, (to, height) =>
        {
            // Counted as sent from the queue: a re-ask for a height already waiting is no second reply.
            node.Counters.RepliesPaced++;
            node.Send(to, node.Chain[height] is { } block ? new GetBlockReply(block) : GetBlockReply.Missing);
        });
        if (next is { } at)
        {
            paceTimer = node.Events.At(at, DrainPaced);
        }
    }
}
