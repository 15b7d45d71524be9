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

    private readonly ConsensusTally tally = new();
    private readonly HashSet<PeerAddress> asked = [];

    /// <summary>The hosts of this round's asked peers: a reply from any other host is turned away without a scan.</summary>
    private readonly HashSet<string> askedHosts = new(StringComparer.Ordinal);
    private readonly List<(PeerAddress From, Block Block)> pendingAnnounces = [];
    private readonly ExpiringSet<ChainClaim> badClaims = new(MaxBadClaims, BadClaimLifetime);
    private readonly ExpiringSet<PeerAddress> misbehaving = new(MaxMisbehaving, MisbehavingLifetime);

    /// <summary>Claims no peer would serve: a silent one skipped for a while, a slow one retried soon with back-off.</summary>
    private readonly UnavailableClaims unavailable = new(MaxBadClaims);
    private List<(ChainClaim Claim, List<PeerAddress> Peers)> candidates = [];
    private ScheduledEvent? roundDeadline;
    private ScheduledEvent? joinConsensus;
    private ScheduledEvent? followUp;
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
}

/// <summary>What the last sync did, for logs and status pages.</summary>
public sealed record SyncReport(ChainClaim Target, long ForkHeight, long Fetched, double Seconds, long Requests, long Retransmissions, string Outcome, DateTimeOffset At)
{
    public double BlocksPerSecond => Fetched / Seconds;
}
