using Aviary.Protocol;

namespace Aviary.Node.Core;

/// <summary>
/// Keeps each proven peer's claim (height @ hash) fresh between consensus rounds, so a status page never
/// shows one much older than <see cref="NodeOptions.StatsRefreshInterval"/>: every interval, one STATS to
/// each proven peer whose last STATS_REPLY is older than half of it (none while a consensus round is
/// asking everyone anyway). That is one small request per peer per interval, far inside any peer's STATS
/// budget. Unproven peers are left to the consensus rounds: a STATS to them would spend the response
/// budgets (per address, per prefix, global) that GOSSIP_REPLYs to newcomers need, and joining would
/// slow down. The replies update the claims only: they start no download (consensus and ANNOUNCEs do that).
/// </summary>
internal sealed class StatsRefresh
{
    private readonly INodeContext node;
    private readonly GossipMembership membership;
    private readonly ConsensusRound consensus;

    /// <summary>The peers the last refresh asked (bounded by the peer table), to match replies from another socket.</summary>
    private readonly HashSet<PeerAddress> asked = [];

    internal StatsRefresh(INodeContext node, GossipMembership membership, ConsensusRound consensus)
    {
        this.node = node;
        this.membership = membership;
        this.consensus = consensus;
    }

    internal void Start()
    {
        if (node.Options.StatsRefreshInterval > TimeSpan.Zero)
        {
            node.Events.Every(node.Options.StatsRefreshInterval, Refresh);
        }
    }

    /// <summary>
    /// The asked peer a STATS_REPLY from <paramref name="from"/> answers, when it came from another socket
    /// than the one we asked (real peers reply from another socket, protocol.md §11): the only peer asked
    /// on that host. Null otherwise.
    /// </summary>
    internal PeerAddress? AskedPeer(PeerAddress from) =>
        asked.Contains(from) ? from
        : PeerAddress.TryOnlyOnHost(from.Host, asked, a => a, out var only) ? only
        : null;

    /// <summary>A STATS_REPLY: the claim of the peer it answers, when it came from another socket than the peer's own (the consensus round updates the others).</summary>
    internal void OnStatsReply(PeerAddress from, StatsReply reply)
    {
        if (membership.Peers.Find(from) is not null)
        {
            asked.Remove(from);
            return;
        }

        if (AskedPeer(from) is { } peerAsked && membership.Peers.Find(peerAsked) is { } peer)
        {
            asked.Remove(peerAsked);
            peer.Height = reply.Height;
            peer.TopHash = reply.Hash;
            peer.StatsAt = node.Now;
        }
    }

    private void Refresh()
    {
        asked.Clear();
        if (consensus.Running)
        {
            return;
        }

        var now = node.Now;
        var stale = node.Options.StatsRefreshInterval / 2;
        foreach (var peer in membership.Peers.All)
        {
            if (peer.TrustedUntil > now && (peer.StatsAt is not { } at || now - at >= stale))
            {
                asked.Add(peer.Address);
            }
        }

        foreach (var peer in asked)
        {
            node.Send(peer, Stats.Instance);
        }
    }
}
