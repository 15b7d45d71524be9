using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>
/// The blame of a download: blocks that do not fit, and the peers that served them (penalized, left
/// out, or the download failed for want of peers). It keeps no reputation: its <see cref="Verdicts"/>
/// are for whoever runs the download to feed into its one store.
/// </summary>
/// <param name="inForkSearch">True while the download searches for the fork point (only claimers count then).</param>
/// <param name="fail">Fails the download (why, whether the claim is proven invalid).</param>
public sealed class DownloadBlame(ChainClaim target, IReadOnlyList<DownloadPeer> peers, HeightRequests requests, BranchVerifier verifier, Func<bool> inForkSearch, Action<string, bool> fail)
{
    private (long Height, int Count) unlinkedAt;

    /// <summary>Raised when a peer leaves the download for a fault (address, reason), for logs.</summary>
    public event Action<PeerAddress, string>? PeerLeft;

    public PeerVerdicts Verdicts { get; } = new();

    /// <summary>
    /// A block that does not validate on top of the verified tip. If the tip came from our own chain
    /// or from the same peer, that peer's chain is inconsistent: it is blamed. A claimer outweighs a
    /// helper (a peer that never claimed this chain and may well hold another one): whichever of the
    /// two is the helper is dropped from the download, the tip taken back if it was the helper's.
    /// Otherwise either block may be the odd one (two peers on different branches): the height is
    /// retried elsewhere, and after repeated failures the tip block itself is taken back and its
    /// sender blamed.
    /// </summary>
    public void OnUnlinked(Block block, DownloadPeer? server, BlockVerdict verdict)
    {
        var h = block.Height;
        if (server is null)
        {
            // Offered (an ANNOUNCE) or from a sender we cannot place: it says nothing about our tip.
            requests.Retry(h, null);
            return;
        }

        var tipServer = verifier.TipServer;
        // Our own chain, or blocks resumed from a stalled attempt that a claimer confirmed by hash.
        var tipIsOurs = verifier.TipIsOurs(h);
        if ((tipIsOurs || tipServer == server || (!server.Claimed && tipServer is { Claimed: true })))
        {
            Fault(server, $"block {h}: {verdict}");
            requests.Retry(h, server);
            return;
        }

        unlinkedAt = unlinkedAt.Height == h ? (h, unlinkedAt.Count + 1) : (h, 1);
        var helperTip = server.Claimed && tipServer is { Claimed: false };
        if (!tipIsOurs && (helperTip || unlinkedAt.Count >= 3))
        {
            // A claimer disagrees with a helper's tip, or three different answers for h all disagree
            // with our tip: the tip is the odd one.
            var tip = verifier.TakeBackTip();
            Fault(tipServer, $"block {tip} does not lead to the claimed chain");
            requests.Retry(tip, tipServer);
            unlinkedAt = default;
        }

        requests.Retry(h, server);
    }

    public void Penalize(DownloadPeer? peer, string why)
    {
        if (peer is null || peer.Excluded)
        {
            return;
        }

        PeerLeft?.Invoke(peer.Address, $"misbehaved: {why}");
        peer.Excluded = true;
        Verdicts.Misbehaved(peer.Address, why);
        requests.RequeueAll(peer);
        FailIfNoPeers();
    }

    /// <summary>
    /// A peer served a block that does not fit: a claimer lied about its chain and is blamed; a helper
    /// merely holds another chain and is only left out of this download.
    /// </summary>
    public void Fault(DownloadPeer? peer, string why)
    {
        if (peer is { Claimed: false, Excluded: false })
        {
            LeaveOut(peer, $"left out (a helper): {why}");
            return;
        }

        Penalize(peer, why);
    }

    /// <summary>Takes <paramref name="peer"/> out of this download without reporting it.</summary>
    public void LeaveOut(DownloadPeer peer, string why)
    {
        PeerLeft?.Invoke(peer.Address, why);
        peer.Excluded = true;
        Verdicts.LeftOut(peer.Address, why);
        requests.RequeueAll(peer);
        FailIfNoPeers();
    }

    /// <summary>Fails when no peer is left; the claim is proven invalid only if every claimer misbehaved.</summary>
    public bool FailIfNoPeers()
    {
        if (!peers.All(p => p.Excluded) && (!inForkSearch() || !peers.Where(p => p.Claimed).All(p => p.Excluded)))
        {
            return false;
        }

        var claimers = peers.Where(p => p.Claimed).ToList();
        var allLied = claimers.Count > 0 && claimers.All(p => Verdicts.IsMisbehaving(p.Address));
        fail(allLied ? $"every peer behind {target} misbehaved; last: {Verdicts.LastPenalty}" : $"no peer left to serve {target}", allLied);
        return true;
    }
}
