using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>
/// Consensus (protocol.md §9): ask every tracked peer for STATS, wait for their answers until
/// <see cref="NodeOptions.ConsensusWait"/> or until all have answered, then hand the tally to the sync.
/// </summary>
public sealed class ConsensusRound
{
    private readonly INodeContext node;
    private readonly GossipMembership membership;
    private readonly ChainSync sync;
    private readonly ConsensusTally tally = new();

    /// <summary>The hosts of this round's asked peers: a reply from any other host is turned away without a scan.</summary>
    private readonly HashSet<string> askedHosts = new(StringComparer.Ordinal);
    private WaitState<PeerAddress>? round;
    private ScheduledEvent? joinConsensus;
    private TimeSpan retryBackoff;

    internal ConsensusRound(INodeContext node, GossipMembership membership, ChainSync sync)
    {
        this.node = node;
        this.membership = membership;
        this.sync = sync;
        membership.PeerJoined += OnPeerJoined;
    }

    /// <summary>True while a consensus round waits for STATS replies.</summary>
    public bool Running => round is { Waiting: true };

    /// <summary>Claims counted in the last round.</summary>
    public int TallyCount => tally.Count;

    internal void Start()
    {
        node.Events.After(TimeSpan.FromSeconds(1), () => StartConsensus("joining"));
        node.Events.Every(node.Options.ConsensusInterval, () => StartConsensus("periodic"));
    }

    /// <summary>Starts a consensus round unless one (or a sync) is already running; false when absorbed.</summary>
    public bool StartConsensus(string reason)
    {
        if (Running || sync.Download is not null)
        {
            return false;
        }

        askedHosts.Clear();
        tally.Clear();
        var asked = new HashSet<PeerAddress>();
        foreach (var peer in membership.Peers.All)
        {
            asked.Add(peer.Address);
            askedHosts.Add(peer.Address.Host);
        }

        if (asked.Count == 0)
        {
            return false;
        }

        node.Logger.LogDebug("consensus ({Reason}): asking {Count} peers for STATS", reason, asked.Count);
        foreach (var peer in asked)
        {
            node.Send(peer, Stats.Instance);
        }

        round = node.Events.Wait(asked, node.Now + node.Options.ConsensusWait, FinishRound);
        return true;
    }

    private void OnPeerJoined()
    {
        if (joinConsensus is { Cancelled: false } || Running || sync.Download is not null)
        {
            return;
        }

        joinConsensus = node.Events.After(TimeSpan.FromMilliseconds(500), () => StartConsensus("peer joined"));
    }

    internal void OnStatsReply(PeerAddress from, StatsReply reply)
    {
        if (membership.Peers.Find(from) is { } peer)
        {
            peer.Height = reply.Height;
            peer.TopHash = reply.Hash;
            peer.StatsAt = node.Now;
        }

        if (round is not { Waiting: true } waiting || AskedPeer(from) is not { } peerAsked)
        {
            // Only the peers this round asked are counted: an unasked claim (a spoofed height of 2^63-1)
            // would otherwise send the download after whoever forged it.
            return;
        }

        tally.Add(peerAsked, reply, node.Chain.Difficulty);
        waiting.Answer(peerAsked);
    }

    /// <summary>
    /// The asked peer a STATS_REPLY answers: its source, or else the only peer still waited for on the
    /// same host (real peers reply from another socket, protocol.md §11). The claim is counted under
    /// the address we asked, where the peer listens; block replies are matched by content anyway.
    /// Null when no round is waiting.
    /// </summary>
    internal PeerAddress? AskedPeer(PeerAddress from) =>
        round is not { Waiting: true } waiting ? null
        : waiting.Awaiting.Contains(from) ? from
        : askedHosts.Contains(from.Host) && PeerAddress.TryOnlyOnHost(from.Host, waiting.Awaiting, a => a, out var only) ? only
        : null;

    private void FinishRound()
    {
        var now = node.Now;
        var candidates = sync.Consider(tally, now);
        sync.HintDifficulty(tally.Shortfall);
        if (tally.Count == 0 && membership.Peers.Count > 0)
        {
            // Nobody answered (loss, or peers still starting): ask again soon rather than in minutes.
            retryBackoff = retryBackoff == TimeSpan.Zero ? TimeSpan.FromSeconds(2) : TimeSpan.FromTicks(Math.Min(retryBackoff.Ticks * 2, node.Options.ConsensusInterval.Ticks));
            node.Events.After(retryBackoff, () => StartConsensus("retry: no STATS reply"));
            return;
        }

        retryBackoff = TimeSpan.Zero;
        if (candidates == 0)
        {
            node.Logger.LogDebug("consensus: {Claims} claims, none better than our {Count} blocks", tally.Count, node.Chain.Count);
            return;
        }

        sync.TryNextCandidate();
    }
}
