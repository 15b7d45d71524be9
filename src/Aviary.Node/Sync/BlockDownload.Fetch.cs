using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>Fetching: replies, timeouts, progress and in-order verification.</summary>
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
}
