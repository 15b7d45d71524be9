using Aviary.Node.Limits;
using Aviary.Protocol;

namespace Aviary.Node.Core;

/// <summary>Serving GET_BLOCK: at once, or at the pace of a peer whose socket drops our bursts.</summary>
public sealed partial class NodeCore
{
    private ScheduledEvent? paceTimer;

    /// <summary>Paces GET_BLOCK_REPLYs to peers that re-ask for what we just answered.</summary>
    public ReplyPacer Pacer { get; }

    private void OnGetBlock(PeerAddress from, GetBlock request, DateTimeOffset now)
    {
        if (request.Height is not { } h || Chain[h] is not { } block)
        {
            Reply(from, GetBlockReply.Missing);
            return;
        }

        switch (Pacer.OnRequest(from, h, now))
        {
            case PaceDecision.Now:
                Reply(from, new GetBlockReply(block));
                break;
            case PaceDecision.Queued:
                Counters.RepliesPaced++;
                paceTimer ??= Events.After(TimeSpan.Zero, DrainPaced);
                break;
            default:
                Counters.Withhold(WithholdReason.PaceQueueFull, MessageTypes.GetBlockReply);
                break;
        }
    }

    private void DrainPaced()
    {
        paceTimer = null;
        var next = Pacer.Drain(Events.Now, (to, height) => Reply(to, Chain[height] is { } block ? new GetBlockReply(block) : GetBlockReply.Missing));
        if (next is { } at)
        {
            paceTimer = Events.At(at, DrainPaced);
        }
    }
}
