using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>Fetching: replies, timeouts, the request pump and in-order verification.</summary>
public sealed partial class BlockDownload
{
    public bool Finished => Phase is DownloadPhase.Complete or DownloadPhase.Failed;

    /// <summary>A GET_BLOCK_REPLY (or an ANNOUNCE) carrying a block, from any source.</summary>
    public void OnBlock(PeerAddress from, Block block, DateTimeOffset now)
    {
        if (Finished)
        {
            return;
        }

        var h = block.Height;
        var source = Source(from);
        var wanted = inFlight.TryGetValue(h, out var asked)
            || (Phase == DownloadPhase.Fetch && h >= next && h < end && h < next + limits.Window && !buffer.ContainsKey(h));
        if (!wanted)
        {
            return;
        }

        // Blame and credit go to whoever really sent the block: a late reply from a peer asked
        // earlier must not be charged to the peer asked last. A sender we cannot place (not a peer
        // of this download) may still deliver a good block, but it can never get a peer blamed.
        var shapeOk = BlockValidator.CheckStructure(block, h).IsValid && BlockValidator.MeetsDifficulty(block.Hash, chain.Difficulty);
        if ((!shapeOk && source is null) || (Phase == DownloadPhase.ForkSearch && source is not { Claimed: true }))
        {
            // The fork search trusts only the peers that claimed the chain: a helper may hold ours,
            // and a match from it would put the fork point too high.
            return;
        }

        if (asked.Peer is not null)
        {
            inFlight.Remove(h);
            asked.Peer.InFlight--;
            if (source == asked.Peer)
            {
                asked.Peer.Replied(now);
                if (asked.Attempts == 1)
                {
                    asked.Peer.Sample(now - asked.SentAt);
                }
            }
        }

        var servedBy = source;
        if (Phase == DownloadPhase.ForkSearch)
        {
            Delivered++;
            lastDelivery = now;
            OnProbe(block, servedBy, now);
            return;
        }

        if (h < next || h >= end || buffer.ContainsKey(h))
        {
            Pump(now);
            return;
        }

        if (!shapeOk)
        {
            Penalize(servedBy, $"block {h}: breaks the block rules or the difficulty");
            retries.Enqueue((h, servedBy));
            Pump(now);
            return;
        }

        buffer[h] = (block, servedBy);
        Delivered++;
        lastDelivery = now;
        if (h == next)
        {
            Advance(now);
        }

        Pump(now);
    }

    /// <summary>
    /// The download peer a datagram came from: its exact address, else the only peer on that host
    /// (real peers reply from another port), else nobody.
    /// </summary>
    /// <summary>The address of the download peer a datagram from <paramref name="from"/> comes from, if any.</summary>
    public PeerAddress? SourceOf(PeerAddress from) => Source(from)?.Address;

    private DownloadPeer? Source(PeerAddress from) =>
        Find(from) ?? (PeerAddress.TryOnlyOnHost(from.Host, peers, p => p.Address, out var only) ? only : null);

    /// <summary>A null GET_BLOCK_REPLY: it names no height, so it frees the sender's oldest request.</summary>
    public void OnMissing(PeerAddress from, DateTimeOffset now)
    {
        if (Finished || Find(from) is not { } peer)
        {
            return;
        }

        var oldest = inFlight.Where(e => e.Value.Peer == peer).OrderBy(e => e.Value.SentAt).Select(e => (long?)e.Key).FirstOrDefault();
        if (oldest is not { } h)
        {
            return;
        }

        inFlight.Remove(h);
        peer.InFlight--;
        retries.Enqueue((h, peer));
        if (h < Target.Height && ++peer.Nulls >= limits.NullLimit)
        {
            // A helper never claimed this chain, and an announcer's ANNOUNCE may have been forged in
            // its name: not having it is no lie, so it is only left out of this download, not reported.
            if (Announced)
            {
                LeaveOut(peer, $"left out: has no block below the announced {Target}");
            }
            else
            {
                Fault(peer, $"claims {Target} but has no block at heights below it");
            }
        }

        Pump(now);
    }

    /// <summary>Sweeps timeouts; call every <see cref="SyncLimits.SweepInterval"/>.</summary>
    public void OnTick(DateTimeOffset now)
    {
        if (Finished)
        {
            return;
        }

        List<long>? expired = null;
        foreach (var (h, r) in inFlight)
        {
            if (now - r.SentAt > r.Peer.Timeout)
            {
                (expired ??= []).Add(h);
            }
        }

        foreach (var h in expired ?? [])
        {
            if (!inFlight.Remove(h, out var r))
            {
                continue; // already requeued with the rest of an excluded peer's requests
            }

            var peer = r.Peer;
            peer.InFlight--;
            if (peer.BackOff(now) && peer.ConsecutiveLosses >= limits.StallAfter)
            {
                // Counted in loss events, not timeouts: a whole window lost at once (a peer whose
                // socket was closed for a moment) is one event, not a reason to give up on it.
                if (peer.Served == 0)
                {
                    // Never answered anything: a staller, or a liar with nothing to serve.
                    peer.Excluded = true;
                    RequeueAll(peer);
                }
                else if (now - peer.LastReply > peer.Timeout * 2)
                {
                    // Silent for two timeouts while asked: skip it for one (backed-off) timeout.
                    peer.SkipUntil = now + peer.Timeout;
                }
            }

            retries.Enqueue((h, peer));
        }

        if (FailIfNoPeers())
        {
            return;
        }

        if (Stalled(now) is { } why)
        {
            Fail(why, provenInvalid: false);
            StalledOut = true;
            return;
        }

        Pump(now);
    }

    /// <summary>Hands over verified blocks that extend our tip, for committing as the download goes.</summary>
    public IReadOnlyList<Block> TakeCommittable()
    {
        // A failed download hands over what it verified too: those blocks extend our tip, whatever became of the rest.
        if (!ExtendsOurTip || (pendingCommit.Count < limits.CommitBatch && !Finished))
        {
            return [];
        }

        var batch = pendingCommit.ToList();
        BranchStart += batch.Count;
        pendingCommit.Clear();
        pendingServers.Clear();
        return batch;
    }

    /// <summary>
    /// A block that does not validate on top of the verified tip. If the tip came from our own chain
    /// or from the same peer, that peer's chain is inconsistent: it is blamed. A claimer outweighs a
    /// helper (a peer that never claimed this chain and may well hold another one): whichever of the
    /// two is the helper is dropped from the download, the tip taken back if it was the helper's.
    /// Otherwise either block may be the odd one (two peers on different branches): the height is
    /// retried elsewhere, and after repeated failures the tip block itself is taken back and its
    /// sender blamed.
    /// </summary>
    private void OnUnlinked(Block block, DownloadPeer? server, BlockVerdict verdict)
    {
        var h = block.Height;
        if (server is null)
        {
            // Offered (an ANNOUNCE) or from a sender we cannot place: it says nothing about our tip.
            retries.Enqueue((h, null));
            return;
        }

        var tipServer = pendingServers.Count > 0 ? pendingServers[^1] : null;
        // Our own chain, or blocks resumed from a stalled attempt that a claimer confirmed by hash.
        var tipIsOurs = pendingCommit.Count == 0 || h == ForkHeight || h <= resumedEnd;
        if ((tipIsOurs || tipServer == server || (!server.Claimed && tipServer is { Claimed: true })))
        {
            Fault(server, $"block {h}: {verdict}");
            retries.Enqueue((h, server));
            return;
        }

        unlinkedAt = unlinkedAt.Height == h ? (h, unlinkedAt.Count + 1) : (h, 1);
        var helperTip = server.Claimed && tipServer is { Claimed: false };
        if (!tipIsOurs && (helperTip || unlinkedAt.Count >= 3))
        {
            // A claimer disagrees with a helper's tip, or three different answers for h all disagree
            // with our tip: the tip is the odd one.
            pendingCommit.RemoveAt(pendingCommit.Count - 1);
            pendingServers.RemoveAt(pendingServers.Count - 1);
            next--;
            previousHash = pendingCommit.Count > 0 ? pendingCommit[^1].Hash : next == 0 ? null : chain[next - 1]?.Hash;
            Fault(tipServer, $"block {next} does not lead to the claimed chain");
            retries.Enqueue((next, tipServer));
            unlinkedAt = default;
        }

        retries.Enqueue((h, server));
    }

    /// <summary>
    /// Why the download should give up now, if it should: nothing delivered for
    /// <see cref="SyncLimits.GiveUpAfter"/> (a slow peer that keeps delivering is followed), or blocks
    /// delivered but the verified tip stuck for <see cref="SyncLimits.VerifiedStallLimit"/> (a peer
    /// that serves every height but the next one is not progress either).
    /// </summary>
    private string? Stalled(DateTimeOffset now) =>
        now - lastDelivery > limits.GiveUpAfter && now - lastProgress > limits.GiveUpAfter ? $"nothing delivered for {limits.GiveUpAfter.TotalSeconds:0} s"
        : now - lastProgress > limits.VerifiedStallLimit ? $"no block verified for {limits.VerifiedStallLimit.TotalSeconds:0} s"
        : null;

    private void Advance(DateTimeOffset now)
    {
        while (next < end && buffer.Remove(next, out var entry))
        {
            var verdict = BlockValidator.Validate(entry.Block, previousHash, next, chain.Difficulty);
            if (!verdict.IsValid)
            {
                OnUnlinked(entry.Block, entry.Peer, verdict);
                break;
            }

            pendingCommit.Add(entry.Block);
            pendingServers.Add(entry.Peer);
            previousHash = entry.Block.Hash;
            next++;
            lastProgress = now;
        }

        if (next < end || Finished)
        {
            return;
        }

        if (previousHash == Target.Hash)
        {
            Phase = DownloadPhase.Complete;
            inFlight.Clear();
            return;
        }

        if (!extended && end == Target.Height)
        {
            // A peer that reports its top index instead of its block count: one block more (protocol.md §3).
            extended = true;
            end++;
            Advance(now);
            return;
        }

        Fail($"the chain fetched for {Target} ends in {previousHash?[..12]}…, not the claimed hash", provenInvalid: true);
    }

    private void Pump(DateTimeOffset now)
    {
        while (!Finished && NextHeight(out var height, out var avoid))
        {
            var peer = PickPeer(now, avoid);
            if (peer is null)
            {
                retries.Enqueue((height, avoid));
                return;
            }

            Send(peer, height, avoid is null ? 1 : 2, now);
        }
    }

    private bool NextHeight(out long height, out DownloadPeer? avoid)
    {
        var count = retries.Count;
        for (var i = 0; i < count; i++)
        {
            var (h, a) = retries.Dequeue();
            var wanted = Phase == DownloadPhase.ForkSearch || (h >= next && h < end && !buffer.ContainsKey(h));
            if (wanted && !inFlight.ContainsKey(h))
            {
                height = h;
                avoid = a;
                return true;
            }
        }

        avoid = null;
        if (Phase == DownloadPhase.Fetch)
        {
            var limit = Math.Min(end, next + limits.Window);
            while (cursor < limit)
            {
                var h = cursor++;
                if (!buffer.ContainsKey(h) && !inFlight.ContainsKey(h))
                {
                    height = h;
                    return true;
                }
            }
        }

        height = -1;
        return false;
    }

    private DownloadPeer? PickPeer(DateTimeOffset now, DownloadPeer? avoid)
    {
        DownloadPeer? best = null;
        foreach (var p in peers)
        {
            if (Phase == DownloadPhase.ForkSearch && !p.Claimed)
            {
                continue;
            }

            if (p.CanTake(now) && (best is null || (best == avoid && p != avoid) || (p != avoid && p.Capacity - p.InFlight > best.Capacity - best.InFlight)))
            {
                best = p;
            }
        }

        return best;
    }

    private void Send(DownloadPeer peer, long height, int attempts, DateTimeOffset now)
    {
        peer.InFlight++;
        inFlight[height] = new InFlightRequest(peer, now, attempts);
        Requests++;
        if (attempts > 1)
        {
            Retransmissions++;
        }

        request(peer.Address, height);
    }

    private void Penalize(DownloadPeer? peer, string why)
    {
        if (peer is null || peer.Excluded)
        {
            return;
        }

        PeerLeft?.Invoke(peer.Address, $"misbehaved: {why}");
        peer.Excluded = true;
        misbehaved.Add(peer.Address);
        LastPenalty = $"{peer.Address}: {why}";
        RequeueAll(peer);
        FailIfNoPeers();
    }

    /// <summary>
    /// A peer served a block that does not fit: a claimer lied about its chain and is blamed; a helper
    /// merely holds another chain and is only left out of this download.
    /// </summary>
    private void Fault(DownloadPeer? peer, string why)
    {
        if (peer is { Claimed: false, Excluded: false })
        {
            LeaveOut(peer, $"left out (a helper): {why}");
            return;
        }

        Penalize(peer, why);
    }

    /// <summary>Takes <paramref name="peer"/> out of this download without reporting it.</summary>
    private void LeaveOut(DownloadPeer peer, string why)
    {
        PeerLeft?.Invoke(peer.Address, why);
        peer.Excluded = true;
        RequeueAll(peer);
        FailIfNoPeers();
    }

    /// <summary>Fails when no peer is left; the claim is proven invalid only if every claimer misbehaved.</summary>
    private bool FailIfNoPeers()
    {
        if (!peers.All(p => p.Excluded) && (Phase != DownloadPhase.ForkSearch || !peers.Where(p => p.Claimed).All(p => p.Excluded)))
        {
            return false;
        }

        var claimers = peers.Where(p => p.Claimed).ToList();
        var allLied = claimers.Count > 0 && claimers.All(p => misbehaved.Contains(p.Address));
        Fail(allLied ? $"every peer behind {Target} misbehaved; last: {LastPenalty}" : $"no peer left to serve {Target}", allLied);
        return true;
    }

    /// <summary>Raised when a peer leaves the download for a fault (address, reason), for logs.</summary>
    public event Action<PeerAddress, string>? PeerLeft;

    /// <summary>The last peer penalty, for logs.</summary>
    public string? LastPenalty { get; private set; }

    private void RequeueAll(DownloadPeer peer)
    {
        foreach (var h in inFlight.Where(e => e.Value.Peer == peer).Select(e => e.Key).ToList())
        {
            inFlight.Remove(h);
            retries.Enqueue((h, peer));
        }

        peer.InFlight = 0;
    }
}
