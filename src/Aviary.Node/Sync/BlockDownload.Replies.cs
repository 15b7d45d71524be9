using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>The download's events (start, replies, null replies, the sweep) routed to its parts.</summary>
public sealed partial class BlockDownload
{
    public void Start(DateTimeOffset now)
    {
        if (search.FirstProbe() is not { } probe)
        {
            BeginFetch(0, now);
            return;
        }

        Probe(probe, now);
    }

    /// <summary>A GET_BLOCK_REPLY (or an ANNOUNCE) carrying a block, from any source.</summary>
    public void OnBlock(PeerAddress from, Block block, DateTimeOffset now)
    {
        if (Finished)
        {
            return;
        }

        var h = block.Height;
        var source = peers.Source(from);
        requests.NoteReply(h, source);
        var wanted = requests.TryGet(h, out var asked) || (Phase == DownloadPhase.Fetch && verifier.Awaits(h));
        if (!wanted)
        {
            return;
        }

        // Blame and credit go to whoever really sent the block: a late reply from a peer asked
        // earlier must not be charged to the peer asked last. A sender we cannot place (not a peer
        // of this download) may still deliver a good block, but it can never get a peer blamed.
        var structureOk = BlockValidator.CheckStructure(block, h).IsValid;
        var shapeOk = structureOk && BlockValidator.MeetsDifficulty(block.Hash, chain.Difficulty);
        if ((!shapeOk && source is null) || (Phase == DownloadPhase.ForkSearch && source is not { Claimed: true }))
        {
            // The fork search trusts only the peers that claimed the chain: a helper may hold ours,
            // and a match from it would put the fork point too high.
            return;
        }

        if (asked.Peer is not null)
        {
            requests.Answered(h, asked, bySender: source == asked.Peer, now);
            if (source == asked.Peer)
            {
                asked.Peer.Replied(now);
                if (asked.Attempts == 1)
                {
                    asked.Peer.Sample(now - asked.SentAt);
                }
            }
        }

        if (Phase == DownloadPhase.ForkSearch)
        {
            progress.Deliver(now);
            OnProbe(block, source, now);
            return;
        }

        if (!verifier.Wants(h))
        {
            Pump(now);
            return;
        }

        if (!shapeOk && structureOk && source is not null)
        {
            // Only the work falls short: most likely a network of another difficulty, not a liar.
            // Left out of this download, not reported; the node says what difficulty it saw.
            var zeros = Hex.TrailingZeros(block.Hash);
            DifficultyShortfall ??= new DifficultyShortfall(source.Address, h, zeros, chain.Difficulty);
            blame.LeaveOut(source, $"left out: block {h} ends in {zeros} zeros, below our difficulty {chain.Difficulty}");
            requests.Retry(h, source);
            Pump(now);
            return;
        }

        if (!shapeOk)
        {
            blame.Penalize(source, $"block {h}: breaks the block rules");
            requests.Retry(h, source);
            Pump(now);
            return;
        }

        verifier.Hold(h, block, source);
        progress.Deliver(now);
        if (h == verifier.Next)
        {
            Advance(now);
        }

        Pump(now);
    }

    /// <summary>A null GET_BLOCK_REPLY: it names no height, so it frees the sender's oldest request.</summary>
    public void OnMissing(PeerAddress from, DateTimeOffset now)
    {
        if (Finished || peers.Find(from) is not { } peer || requests.FreeOldest(peer) is not { } h)
        {
            return;
        }

        if (h < Target.Height && ++peer.Nulls >= limits.NullLimit)
        {
            // A helper never claimed this chain, and an announcer's ANNOUNCE may have been forged in
            // its name: not having it is no lie, so it is only left out of this download, not reported.
            if (Announced)
            {
                blame.LeaveOut(peer, $"left out: has no block below the announced {Target}");
            }
            else
            {
                blame.Fault(peer, $"claims {Target} but has no block at heights below it");
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

        requests.Expire(now, limits.StallAfter);
        if (blame.FailIfNoPeers())
        {
            return;
        }

        if (progress.Stalled(now, verifier.LastProgress) is { } why)
        {
            Fail(why, provenInvalid: false);
            StalledOut = true;
            return;
        }

        Pump(now);
    }

    /// <summary>Asks for heights while there are heights to ask and a peer with room (retries first).</summary>
    private void Pump(DateTimeOffset now) =>
        requests.Pump(() => Phase == DownloadPhase.Fetch ? verifier : null, avoid => Pick(now, avoid), () => Finished, now);

    private DownloadPeer? Pick(DateTimeOffset now, DownloadPeer? avoid) => Picker.Pick(peers, now, avoid, claimersOnly: Phase == DownloadPhase.ForkSearch);

    private void Probe(long height, DateTimeOffset now)
    {
        if (Pick(now, null) is { } peer)
        {
            requests.Send(peer, height, 1, now);
        }
        else
        {
            requests.Retry(height, null);
        }
    }

    private void OnProbe(Block block, DownloadPeer? servedBy, DateTimeOffset now)
    {
        var h = block.Height;
        var step = search.OnProbe(h, block.Hash);
        if (!step.Matched && BlockValidator.CheckStructure(block, h).IsValid)
        {
            verifier.Hold(h, block, servedBy);
        }

        if (step.Fork is { } fork)
        {
            BeginFetch(fork, now);
        }
        else
        {
            Probe(step.NextProbe!.Value, now);
        }
    }

    /// <summary>Fetches from <paramref name="fork"/>, the first height where the claimed chain differs from the one compared against.</summary>
    private void BeginFetch(long fork, DateTimeOffset now)
    {
        Phase = DownloadPhase.Fetch;
        requests.StartAt(fork);
        verifier.Begin(fork, search.Resume, now);
        search.Resume = null;
        requests.ClearRetries();
        Advance(now);
        Pump(now);
    }

    /// <summary>Verifies what the buffer allows; an unlinked block goes to blame, the end of the claimed chain ends the download.</summary>
    private void Advance(DateTimeOffset now)
    {
        var outcome = verifier.Advance(now);
        if (outcome == Verification.Unlinked)
        {
            var (block, server, verdict) = verifier.Rejected;
            blame.OnUnlinked(block, server, verdict);
            return;
        }

        if (outcome == Verification.Waiting || Finished)
        {
            return;
        }

        if (outcome == Verification.Complete)
        {
            Phase = DownloadPhase.Complete;
            requests.ClearInFlight();
            return;
        }

        Fail($"the chain fetched for {Target} ends in {verifier.TipHash?[..12]}…, not the claimed hash", provenInvalid: true);
    }
}
