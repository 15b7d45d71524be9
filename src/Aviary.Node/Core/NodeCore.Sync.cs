using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Consensus (protocol.md §9) and sync: ask, tally, choose, download, verify, adopt.</summary>
public sealed partial class NodeCore
{
    /// <summary>Claims proven invalid, remembered so a liar cannot make us fetch the same lie again.</summary>
    public const int MaxBadClaims = 1024;

    /// <summary>Peers that served invalid blocks or lied, ignored for consensus for a while.</summary>
    public const int MaxMisbehaving = 1024;

    /// <summary>ANNOUNCEs that arrive during a sync and wait for it to end.</summary>
    public const int MaxPendingAnnounces = 32;

    private static readonly TimeSpan BadClaimLifetime = TimeSpan.FromHours(1);
    /// <summary>How long a peer that served an invalid block or lied is ignored for consensus and downloads.</summary>
    public static readonly TimeSpan MisbehavingLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    private readonly ConsensusTally tally = new();
    private readonly HashSet<PeerAddress> asked = [];

    /// <summary>The hosts of this round's asked peers: a reply from any other host is turned away without a scan.</summary>
    private readonly HashSet<string> askedHosts = new(StringComparer.Ordinal);
    private readonly List<(PeerAddress From, Block Block)> pendingAnnounces = [];
    private readonly ExpiringSet<ChainClaim> badClaims = new(MaxBadClaims, BadClaimLifetime);
    private readonly ExpiringSet<PeerAddress> misbehaving = new(MaxMisbehaving, MisbehavingLifetime);

    /// <summary>Claims no peer would serve: skipped for a short while so a silent liar is not asked again each round.</summary>
    private readonly ExpiringSet<ChainClaim> unavailable = new(MaxBadClaims, TimeSpan.FromSeconds(30));
    private List<(ChainClaim Claim, List<PeerAddress> Peers)> candidates = [];
    private ScheduledEvent? roundDeadline;
    private ScheduledEvent? sweep;
    private ScheduledEvent? progress;
    private ScheduledEvent? joinConsensus;
    private ScheduledEvent? followUp;
    private long lastProgressHeight;
    private TimeSpan retryBackoff;

    /// <summary>The running download, if any (read it on the core thread only).</summary>
    public BlockDownload? Download { get; private set; }

    /// <summary>True while a consensus round waits for STATS replies.</summary>
    public bool ConsensusRunning => roundDeadline is { Cancelled: false };

    /// <summary>The last finished sync, for status pages.</summary>
    public SyncReport? LastSync { get; private set; }

    public SyncLimits SyncLimits { get; init; } = new();

    public bool IsMisbehaving(PeerAddress peer) => misbehaving.Contains(peer, Events.Now);

    public bool IsBadClaim(ChainClaim claim) => badClaims.Contains(claim, Events.Now);

    private void StartSync()
    {
        Events.After(TimeSpan.FromSeconds(1), () => StartConsensus("joining"));
        Events.Every(Options.ConsensusInterval, () => StartConsensus("periodic"));
    }

    /// <summary>Starts a consensus round unless one (or a sync) is already running; false when absorbed.</summary>
    public bool StartConsensus(string reason)
    {
        if (ConsensusRunning || Download is not null)
        {
            return false;
        }

        asked.Clear();
        askedHosts.Clear();
        tally.Clear();
        foreach (var peer in Peers.All)
        {
            asked.Add(peer.Address);
            askedHosts.Add(peer.Address.Host);
        }

        if (asked.Count == 0)
        {
            return false;
        }

        logger.LogDebug("consensus ({Reason}): asking {Count} peers for STATS", reason, asked.Count);
        foreach (var peer in asked)
        {
            Send(peer, Stats.Instance);
        }

        roundDeadline = Events.WaitUntil(Events.Now + Options.ConsensusWait, FinishRound);
        return true;
    }

    private void OnPeerJoined()
    {
        if (joinConsensus is { Cancelled: false } || ConsensusRunning || Download is not null)
        {
            return;
        }

        joinConsensus = Events.After(TimeSpan.FromMilliseconds(500), () => StartConsensus("peer joined"));
    }

    private void OnStatsReply(PeerAddress from, StatsReply reply)
    {
        if (Peers.Find(from) is { } peer)
        {
            peer.Height = reply.Height;
            peer.TopHash = reply.Hash;
            peer.StatsAt = Events.Now;
        }

        if (!ConsensusRunning || AskedPeer(from) is not { } peerAsked)
        {
            // Only the peers this round asked are counted: an unasked claim (a spoofed height of 2^63-1)
            // would otherwise send the download after whoever forged it.
            return;
        }

        tally.Add(peerAsked, reply, Chain.Difficulty);
        asked.Remove(peerAsked);
        if (asked.Count == 0)
        {
            FinishRound();
        }
    }

    /// <summary>
    /// The asked peer a STATS_REPLY answers: its source, or else the only peer still waited for on the
    /// same host (real peers reply from another socket, protocol.md §11). The claim is counted under
    /// the address we asked, where the peer listens; block replies are matched by content anyway.
    /// </summary>
    private PeerAddress? AskedPeer(PeerAddress from) =>
        asked.Contains(from) ? from
        : askedHosts.Contains(from.Host) && PeerAddress.TryOnlyOnHost(from.Host, asked, a => a, out var only) ? only
        : null;

    private void FinishRound()
    {
        roundDeadline?.Cancel();
        var now = Events.Now;
        candidates = [.. tally.Ranked(c => c.Height <= Chain.Count || badClaims.Contains(c, now) || unavailable.Contains(c, now))
            .Select(c => (c.Claim, Peers: c.Peers.Where(p => !misbehaving.Contains(p, now)).ToList()))
            .Where(c => c.Peers.Count > 0)];
        if (tally.Count == 0 && Peers.Count > 0)
        {
            // Nobody answered (loss, or peers still starting): ask again soon rather than in minutes.
            retryBackoff = retryBackoff == TimeSpan.Zero ? TimeSpan.FromSeconds(2) : TimeSpan.FromTicks(Math.Min(retryBackoff.Ticks * 2, Options.ConsensusInterval.Ticks));
            Events.After(retryBackoff, () => StartConsensus("retry: no STATS reply"));
            return;
        }

        retryBackoff = TimeSpan.Zero;
        if (candidates.Count == 0)
        {
            logger.LogDebug("consensus: {Claims} claims, none better than our {Count} blocks", tally.Count, Chain.Count);
            return;
        }

        TryNextCandidate();
    }

    private void TryNextCandidate()
    {
        if (candidates.Count == 0)
        {
            ProcessPendingAnnounces();
            return;
        }

        var (claim, claimers) = candidates[0];
        candidates.RemoveAt(0);
        BeginDownload(claim, claimers, []);
    }

    private void BeginDownload(ChainClaim claim, IEnumerable<PeerAddress> claimers, IEnumerable<PeerAddress> helpers, Block? offered = null)
    {
        var now = Events.Now;
        var download = new BlockDownload(claim, claimers, helpers, Chain, SyncLimits, now, RequestBlock) { Announced = offered is not null };
        Download = download;
        download.PeerLeft += (peer, why) => logger.LogDebug("sync: {Peer} {Why}", peer, why);
        lastProgressHeight = Chain.Count;
        logger.LogInformation("sync: fetching {Claim} from {Peers} (ours: {Count} blocks)", claim, string.Join(", ", download.Peers.Select(p => p.Address)), Chain.Count);
        if (offered is not null)
        {
            download.Offer(offered, now);
        }

        sweep = Events.Every(SyncLimits.SweepInterval, () =>
        {
            Download?.OnTick(Events.Now);
            AfterDownloadStep();
        });
        progress = Events.Every(ProgressInterval, LogProgress);
        download.Start(now);
        AfterDownloadStep();
    }

    private void RequestBlock(PeerAddress peer, long height) => Send(peer, new GetBlock(height));

    private void OnGetBlockReply(PeerAddress from, GetBlockReply reply)
    {
        if (Download is not { } download)
        {
            return;
        }

        if (reply.Block is { } block)
        {
            download.OnBlock(from, block, Events.Now);
        }
        else
        {
            download.OnMissing(from, Events.Now);
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
            var verdict = Chain.AdoptVerified(batch[0].Height, batch);
            if (!verdict.IsValid)
            {
                logger.LogWarning("sync: could not commit blocks {From}–{To}: {Verdict}", batch[0].Height, batch[^1].Height, verdict);
            }
        }

        if (download.Phase == DownloadPhase.Complete)
        {
            if (!download.ExtendsOurTip && download.Branch.Count > 0)
            {
                var verdict = Chain.AdoptVerified(download.ForkHeight, download.Branch);
                logger.LogInformation("sync: switched to {Claim} from fork height {Fork}: {Verdict}", download.Target, download.ForkHeight, verdict);
            }

            EndDownload(download, "complete");
        }
        else if (download.Phase == DownloadPhase.Failed)
        {
            if (download.ProvenInvalid)
            {
                badClaims.Add(download.Target, Events.Now);
                Counters.InvalidBlocks++;
            }
            else
            {
                unavailable.Add(download.Target, Events.Now);
            }

            logger.LogWarning("sync: gave up on {Claim}: {Why}", download.Target, download.Failure);
            EndDownload(download, download.Failure ?? "failed");
        }
    }

    private void EndDownload(BlockDownload download, string outcome)
    {
        // Whether or not the others got the chain through, a peer that served invalid blocks or lied is remembered.
        foreach (var peer in download.Misbehaving)
        {
            misbehaving.Add(peer, Events.Now);
        }

        sweep?.Cancel();
        progress?.Cancel();
        Download = null;
        var seconds = Math.Max(0.001, (Events.Now - download.StartedAt).TotalSeconds);
        var fetched = Math.Max(0, download.VerifiedHeight - download.ForkHeight);
        LastSync = new SyncReport(download.Target, download.ForkHeight, fetched, seconds, download.Requests, download.Retransmissions, outcome, Events.Now);
        if (download.Phase == DownloadPhase.Complete)
        {
            logger.LogInformation("sync: at {Count} blocks, top {Top}; fetched {Fetched} blocks above fork {Fork} in {Seconds:0.00} s ({Rate:0} blocks/s, {Retries} retries)", Chain.Count, Chain.TopHash, fetched, download.ForkHeight, seconds, fetched / seconds, download.Retransmissions);
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

        followUp = Events.After(delay, () => StartConsensus("follow-up after a sync"));
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
        logger.LogInformation("sync: height {Height} of {Target} ({Percent:0.0}%), {Rate:0} blocks/s, ETA {Eta}", d.VerifiedHeight, d.Target.Height, 100.0 * done / total, rate, eta is { } e ? $"{e.TotalSeconds:0} s" : "unknown");
    }
}

/// <summary>What the last sync did, for logs and status pages.</summary>
public sealed record SyncReport(ChainClaim Target, long ForkHeight, long Fetched, double Seconds, long Requests, long Retransmissions, string Outcome, DateTimeOffset At)
{
    public double BlocksPerSecond => Fetched / Seconds;
}
