namespace Aviary.Node.Core;

/// <summary>Snapshots of the core for other threads.</summary>
public sealed partial class NodeCore
{
    /// <summary>How full every bounded table is now (call on the core thread).</summary>
    public TableSizes Tables() => new(
        Peers.Count,
        Seen.Count,
        lastGossipReply.Count,
        RateLimiter.Count,
        Guard.UnprovenCount,
        Guard.ProvenCount,
        badClaims.Count,
        misbehaving.Count,
        tally.Count,
        pendingAnnounces.Count,
        Events.Count,
        Download?.BufferedCount ?? 0,
        Download?.InFlightCount ?? 0)
    {
        ResponseAddresses = Guard.Responses.AddressCount,
        ResponsePrefixes = Guard.Responses.PrefixCount,
        PacedPeers = Pacer.Count,
    };

    /// <summary>A copy of what the node knows now. Call on the core thread (the host's Post).</summary>
    public NodeStatus Snapshot()
    {
        var now = Events.Now;
        var peers = Peers.All
            .Select(p => new PeerStatus(p.Name, p.Address, p.Height, p.TopHash, p.LastHeard, p.FirstSeen, misbehaving.Contains(p.Address, now)) { Proven = p.TrustedUntil > now })
            .OrderBy(p => p.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        var sync = Download is { } d
            ? new SyncStatus(d.Target, d.Phase.ToString(), d.ForkHeight, d.VerifiedHeight, d.InFlightCount, d.Requests, d.Retransmissions, d.StartedAt, d.Peers.Count)
            : null;
        var c = Counters;
        var counters = new CounterStatus(
            c.DatagramsIn,
            c.BytesIn,
            c.DatagramsOut,
            c.BytesOut,
            c.InvalidBlocks,
            c.ConsensusRequests,
            c.OversizedRefused,
            new Dictionary<string, long>(c.Received),
            new Dictionary<string, long>(c.Sent),
            c.RejectionsByReason.ToDictionary(r => r.Reason, r => r.Count))
        {
            RateLimited = c.RateLimitedByBudget.ToDictionary(r => r.Budget, r => r.Count),
            Withheld = new Dictionary<string, long>(c.WithheldByType),
            WithheldByReason = [.. c.WithheldByReason.OrderBy(w => w.Key.Reason).ThenBy(w => w.Key.Type, StringComparer.Ordinal).Select(w => new WithheldCount(w.Key.Reason, w.Key.Type, w.Value))],
            RepliesPaced = c.RepliesPaced,
            InboxDropped = c.InboxDropped,
            ChallengesSent = c.ChallengesSent,
            AddressesProven = c.AddressesProven,
        };
        return new NodeStatus(now, Options.Name, Options.Id, Self, Chain.Difficulty, Chain.Count, Chain.TopHash, peers, sync, LastSync, counters, Mining?.Status()) { Tables = Tables() };
    }
}
