namespace Aviary.Node.Core;

/// <summary>Snapshots of the core for other threads, read through the services' public views.</summary>
internal static class CoreStatus
{
    public static TableSizes Tables(NodeCore core) => new(
        core.Membership.Peers.Count,
        core.Membership.Seen.Count,
        core.Membership.ReplyLimitCount,
        core.RateLimiter.Count,
        core.Proof.Guard.UnprovenCount,
        core.Proof.Guard.ProvenCount,
        core.Sync.BadClaimCount,
        core.Reputation.Count,
        core.Consensus.TallyCount,
        core.Sync.PendingAnnounceCount,
        core.Events.Count,
        core.Sync.Download?.BufferedCount ?? 0,
        core.Sync.Download?.InFlightCount ?? 0)
    {
        ResponseAddresses = core.Proof.Guard.Responses.AddressCount,
        ResponsePrefixes = core.Proof.Guard.Responses.PrefixCount,
        PacedPeers = core.Pacer.Count,
    };

    public static NodeStatus Snapshot(NodeCore core)
    {
        var now = core.Events.Now;
        var peers = core.Membership.Peers.All
            .Select(p => new PeerStatus(p.Name, p.Address, p.Height, p.TopHash, p.LastHeard, p.FirstSeen, core.Reputation.IsMisbehaving(p.Address, now)) { Proven = p.TrustedUntil > now, StatsAt = p.StatsAt })
            .OrderBy(p => p.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        var sync = core.Sync.Download is { } d
            ? new SyncStatus(d.Target, d.Phase.ToString(), d.ForkHeight, d.VerifiedHeight, d.InFlightCount, d.Requests, d.Retransmissions, d.StartedAt, d.Peers.Count)
            : null;
        var c = core.Counters;
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
            Withheld = c.WithheldByType,
            WithheldByReason = [.. c.WithheldByReason.OrderBy(w => w.Key.Reason).ThenBy(w => w.Key.Type, StringComparer.Ordinal).Select(w => new WithheldCount(w.Key.Reason, w.Key.Type, w.Value))],
            RepliesPaced = c.RepliesPaced,
            InboxDropped = c.InboxDropped,
            ChallengesSent = c.ChallengesSent,
            AddressesProven = c.AddressesProven,
        };
        return new NodeStatus(now, core.Options.Name, core.Options.Id, core.Self, core.Chain.Difficulty, core.Chain.Count, core.Chain.TopHash, peers, sync, core.Sync.LastSync, counters, core.Mining?.Status()) { Tables = Tables(core) };
    }
}
