using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>One download at a time: started, fed with replies, committed as it goes, ended.</summary>
public sealed partial class ChainSync
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    private ScheduledEvent? followUp;
    private ScheduledEvent? claimRetry;
    private ScheduledEvent? sweep;
    private ScheduledEvent? progress;
    private long lastProgressHeight;

    /// <summary>
    /// The verified blocks of the last reorg download that stalled (one branch: bounded by what one
    /// download holds anyway), for the next download to resume from.
    /// </summary>
    private SavedBranch? savedBranch;

    /// <summary>The running download, if any (read it on the core thread only).</summary>
    public BlockDownload? Download { get; private set; }

    /// <summary>The last finished sync, for status pages.</summary>
    public SyncReport? LastSync { get; private set; }

    private void BeginDownload(ChainClaim claim, IEnumerable<PeerAddress> claimers, IEnumerable<PeerAddress> helpers, Block? offered = null)
    {
        var now = node.Now;
        var download = new BlockDownload(claim, claimers, helpers, node.Chain, node.SyncLimits, now, RequestBlock) { Announced = offered is not null, Resume = savedBranch };
        Download = download;
        download.PeerLeft += (peer, why) => node.Logger.LogDebug("sync: {Peer} {Why}", peer, why);
        lastProgressHeight = node.Chain.Count;
        node.Logger.LogInformation("sync: fetching {Claim} from {Peers} (ours: {Count} blocks{Saved})", claim, string.Join(", ", download.Peers.Select(p => p.Address)), node.Chain.Count,
            download.Resume is { } r ? $"; a stalled branch of {r.Blocks.Count} verified blocks from {r.ForkHeight} to resume from" : "");
        if (offered is not null)
        {
            download.Offer(offered, now);
        }

        sweep = node.Events.Every(node.SyncLimits.SweepInterval, () =>
        {
            Download?.OnTick(node.Now);
            AfterDownloadStep();
        });
        progress = node.Events.Every(ProgressInterval, LogProgress);
        download.Start(now);
        AfterDownloadStep();
    }

    private void RequestBlock(PeerAddress peer, long height) => node.Send(peer, new GetBlock(height));

    internal void OnGetBlockReply(PeerAddress from, GetBlockReply reply)
    {
        if (Download is not { } download)
        {
            return;
        }

        if (reply.Block is { } block)
        {
            download.OnBlock(from, block, node.Now);
        }
        else
        {
            download.OnMissing(from, node.Now);
        }

        AfterDownloadStep();
    }

    private void AfterDownloadStep()
    {
        if (Download is not { } download)
        {
            return;
        }

        var batch = download.TakeCommittable();
        if (batch.Count > 0)
        {
            var verdict = node.Chain.AdoptVerified(batch[0].Height, batch);
            if (!verdict.IsValid)
            {
                node.Logger.LogWarning("sync: could not commit blocks {From}–{To}: {Verdict}", batch[0].Height, batch[^1].Height, verdict);
            }
        }

        if (download.Phase == DownloadPhase.Complete)
        {
            if (!download.ExtendsOurTip && download.Branch.Count > 0)
            {
                var verdict = node.Chain.AdoptVerified(download.ForkHeight, download.Branch);
                node.Logger.LogInformation("sync: switched to {Claim} from fork height {Fork}: {Verdict}", download.Target, download.ForkHeight, verdict);
            }

            EndDownload(download, "complete");
        }
        else if (download.Phase == DownloadPhase.Failed)
        {
            KeepVerifiedBranch(download);
            if (download.ProvenInvalid)
            {
                badClaims.Add(download.Target, node.Now);
                node.Counters.InvalidBlocks++;
            }
            else if (!download.StalledOut || download.Delivered == 0)
            {
                // Nobody served it (silent, or without the blocks): not asked again each round.
                unavailable.Unanswered(download.Target, node.Now);
            }
            else
            {
                // A slow holder that delivered, then stalled: try it again soon rather than at the next periodic round.
                var wait = unavailable.Stalled(download.Target, node.Now);
                claimRetry?.Cancel();
                claimRetry = node.Events.After(wait, () => startConsensus($"retry: {download.Target} stalled"));
            }

            node.Logger.LogWarning("sync: gave up on {Claim}: {Why}", download.Target, download.Failure);
            EndDownload(download, download.Failure ?? "failed");
        }
    }

    /// <summary>
    /// Verified progress is never thrown away. A failed download's blocks that extend our tip were
    /// committed already (<see cref="BlockDownload.TakeCommittable"/>); a reorg branch that has
    /// outgrown our chain is adopted (the longest valid chain); a shorter one is kept to resume from.
    /// </summary>
    private void KeepVerifiedBranch(BlockDownload download)
    {
        if (download.ExtendsOurTip || download.Branch.Count == 0)
        {
            return;
        }

        if (download.ForkHeight + download.Branch.Count > node.Chain.Count)
        {
            var verdict = node.Chain.AdoptVerified(download.ForkHeight, download.Branch);
            node.Logger.LogInformation("sync: adopted the {Count} verified blocks from fork height {Fork} (longer than ours): {Verdict}", download.Branch.Count, download.ForkHeight, verdict);
            savedBranch = null;
            return;
        }

        savedBranch = new SavedBranch(download.ForkHeight, node.Chain[download.ForkHeight - 1]?.Hash, [.. download.Branch]);
        node.Logger.LogInformation("sync: kept the {Count} verified blocks from fork height {Fork} to resume from", download.Branch.Count, download.ForkHeight);
    }

    private void EndDownload(BlockDownload download, string outcome)
    {
        // Whether or not the others got the chain through, a peer that served invalid blocks or lied is remembered.
        reputation.Misbehaved(download.Misbehaving, node.Now);
        HintDifficulty(download.DifficultyShortfall);

        sweep?.Cancel();
        progress?.Cancel();
        Download = null;
        var seconds = Math.Max(0.001, (node.Now - download.StartedAt).TotalSeconds);
        var fetched = Math.Max(0, download.VerifiedHeight - download.ForkHeight);
        LastSync = new SyncReport(download.Target, download.ForkHeight, fetched, seconds, download.Requests, download.Retransmissions, outcome, node.Now);
        if (download.Phase == DownloadPhase.Complete)
        {
            unavailable.Forget(download.Target);
            savedBranch = null;
            node.Logger.LogInformation("sync: at {Count} blocks, top {Top}; fetched {Fetched} blocks above fork {Fork} in {Seconds:0.00} s ({Rate:0} blocks/s, {Retries} retries)", node.Chain.Count, node.Chain.TopHash, fetched, download.ForkHeight, seconds, fetched / seconds, download.Retransmissions);
            candidates.Clear();
            ProcessPendingAnnounces();
            FollowUp(TimeSpan.FromSeconds(2));
        }
        else
        {
            TryNextCandidate();
            if (Download is null)
            {
                FollowUp(TimeSpan.FromSeconds(5));
            }
        }
    }

    /// <summary>
    /// After a download, ask again soon: the chain we fetched may already have grown, or the one that
    /// failed may have a better-served twin. A round that finds nothing better starts no download,
    /// so this does not loop.
    /// </summary>
    private void FollowUp(TimeSpan delay)
    {
        if (followUp is { Cancelled: false })
        {
            return;
        }

        followUp = node.Events.After(delay, () => startConsensus("follow-up after a sync"));
    }

    /// <summary>
    /// Peers whose blocks fail only our difficulty are most likely on a network of another
    /// difficulty: say what they have, what we require and how to change it (at most once a minute).
    /// </summary>
    internal void HintDifficulty(DifficultyShortfall? shortfall)
    {
        if (shortfall is null || node.Now - difficultyHintAt < DifficultyHintInterval)
        {
            return;
        }

        difficultyHintAt = node.Now;
        node.Logger.LogWarning(
            "sync: {Peer} has blocks below our difficulty: block {Height} ends in {Zeros} zeros, this node requires {Required}; its network's difficulty is at most {Most}: to join it, restart with --difficulty set to it (aviary devnet uses 6)",
            shortfall.Peer,
            shortfall.Height,
            shortfall.Zeros,
            shortfall.Required,
            shortfall.Zeros);
    }

    private void LogProgress()
    {
        if (Download is not { Phase: DownloadPhase.Fetch } d)
        {
            return;
        }

        var done = d.VerifiedHeight - d.ForkHeight;
        var total = Math.Max(1, d.Target.Height - d.ForkHeight);
        // The first tick after the fork search (a reorg starts below our height) has no rate yet.
        var rate = d.VerifiedHeight < lastProgressHeight ? 0 : (d.VerifiedHeight - lastProgressHeight) / ProgressInterval.TotalSeconds;
        lastProgressHeight = d.VerifiedHeight;
        var eta = rate > 0 ? TimeSpan.FromSeconds((d.Target.Height - d.VerifiedHeight) / rate) : (TimeSpan?)null;
        node.Logger.LogInformation("sync: height {Height} of {Target} ({Percent:0.0}%), {Rate:0} blocks/s, ETA {Eta}", d.VerifiedHeight, d.Target.Height, 100.0 * done / total, rate, eta is { } e ? $"{e.TotalSeconds:0} s" : "unknown");
    }
}
