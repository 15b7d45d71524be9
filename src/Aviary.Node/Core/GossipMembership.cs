using System.Globalization;

using Aviary.Node.Limits;
using Aviary.Node.Membership;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Gossip membership (protocol.md §1–2): join, keep-alive, reply, forward once, expire.</summary>
public sealed class GossipMembership
{
    /// <summary>Spec: "repeat to 3 peers … make this a constant".</summary>
    public const int GossipFanout = 3;

    /// <summary>
    /// Most distinct addresses whose last GOSSIP_REPLY time we remember for the reply limit; the least
    /// recently answered is forgotten first, so a second reply inside the window needs 4,096 other
    /// originators in between.
    /// </summary>
    public const int MaxReplyLimitEntries = 4096;

    /// <summary>
    /// Unproven peers looked up when too few proven peers can take a forward: each look-up costs a
    /// hash of the address, and a table full of forged peers must not make every GOSSIP cost hundreds of them.
    /// </summary>
    public const int MaxPushProbes = 16;

    /// <summary>At most one GOSSIP_REPLY per address in this window: a forged GOSSIP cannot aim a stream at a third party.</summary>
    public static readonly TimeSpan GossipReplyMinInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan JoinRetryFirst = TimeSpan.FromSeconds(1);

    private readonly INodeContext node;
    private readonly SelfAddress self;
    private readonly AddressProof proof;
    private readonly LruTable<PeerAddress, DateTimeOffset> lastGossipReply = new(MaxReplyLimitEntries);
    private string gossipPrefix = string.Empty;
    private long gossipRound;
    private TimeSpan joinRetry = JoinRetryFirst;
    private bool lastJoinEvicted;

    internal GossipMembership(INodeContext node, SelfAddress self, AddressProof proof)
    {
        this.node = node;
        this.self = self;
        this.proof = proof;
        SeenIds = new SeenIds(node.Options.SeenIdLifetime);
    }

    /// <summary>Raised when a peer joins our table (the consensus round may want to ask it).</summary>
    internal event Action? PeerJoined;

    /// <summary>The peers we track (read-only: the table changes only through gossip).</summary>
    public IPeerView Peers => Table;

    /// <summary>Gossip ids already handled, ours included (read-only).</summary>
    public ISeenIdsView Seen => SeenIds;

    internal PeerTable Table { get; } = new();

    internal SeenIds SeenIds { get; }

    /// <summary>Addresses whose last GOSSIP_REPLY time we remember (the reply limit).</summary>
    public int ReplyLimitCount => lastGossipReply.Count;

    /// <summary>Gossip ids we sent (for tests and the prober).</summary>
    public string? LastGossipId { get; private set; }

    /// <summary>Prefix of our gossip ids: our id and a random part, so ids differ across restarts.</summary>
    internal string GossipPrefix => gossipPrefix.Length > 0 ? gossipPrefix : gossipPrefix = $"{node.Options.Id}-{node.Random.Next():x8}";

    internal void Start()
    {
        GossipRound();
        node.Events.Every(node.Options.GossipInterval, GossipRound);
        var sweep = node.Options.PeerTimeout / 4 < TimeSpan.FromSeconds(5) ? node.Options.PeerTimeout / 4 : TimeSpan.FromSeconds(5);
        node.Events.Every(sweep, ExpirePeers);
        if (node.Options.Bootstrap.Count > 0)
        {
            node.Events.After(joinRetry, RetryJoin);
        }
    }

    /// <summary>One keep-alive round: a fresh GOSSIP to the bootstrap peers and up to 3 tracked peers.</summary>
    public void GossipRound()
    {
        var gossip = new Gossip(node.Options.AdvertisedHost, node.Options.Port, $"{GossipPrefix}-{gossipRound++.ToString(CultureInfo.InvariantCulture)}", node.Options.Name);
        SeenIds.Add(gossip.Id, node.Now);
        LastGossipId = gossip.Id;
        var targets = new HashSet<PeerAddress>(node.Options.Bootstrap);
        foreach (var peer in Table.Sample(GossipFanout, node.Random, p => targets.Contains(p.Address)))
        {
            targets.Add(peer.Address);
        }

        foreach (var to in targets)
        {
            node.Send(to, gossip with { Host = self.HostFor(to) });
        }
    }

    /// <summary>Until someone answers, re-gossip to the bootstrap peers with a doubling delay (capped at the gossip interval).</summary>
    private void RetryJoin()
    {
        if (Peers.Count > 0)
        {
            joinRetry = JoinRetryFirst;
            return;
        }

        node.Logger.LogInformation("no peer has answered yet; gossiping again to {Bootstrap}", string.Join(", ", node.Options.Bootstrap));
        GossipRound();
        joinRetry = joinRetry * 2 > node.Options.GossipInterval ? node.Options.GossipInterval : joinRetry * 2;
        node.Events.After(joinRetry, RetryJoin);
    }

    internal void OnGossip(PeerAddress from, Gossip gossip, ReadOnlySpan<byte> original)
    {
        var now = node.Now;
        var originator = new PeerAddress(gossip.Host, gossip.Port);
        if (self.IsSelf(originator))
        {
            return;
        }

        if (from.Host == originator.Host && from != originator)
        {
            // Sent from a second socket of the originator's own host: not a third party.
            proof.Guard.Vouch(originator, now);
        }

        if (!SeenIds.Add(gossip.Id, now))
        {
            // A repeated id. Real peers reuse one id for every keep-alive: when the originator
            // itself sends it (from its own host; some peers send from a second port), it is alive,
            // and a fresh reply keeps us in its table. It may have expired from ours meanwhile (a
            // partition longer than the peer timeout): take it back, or it stays out until the id
            // leaves the seen-id memory, minutes later (simulation seed 5).
            if (from.Host == originator.Host)
            {
                if (TouchPeer(originator, gossip.Name, now, out var back) is not null && back)
                {
                    node.Logger.LogInformation("peer rejoined: {Name} at {Address} (reused gossip id)", gossip.Name, originator);
                }

                ReplyToGossip(originator, now);
            }

            return;
        }

        if (TouchPeer(originator, gossip.Name, now, out var added) is not null && added)
        {
            node.Logger.Log(JoinLevel, "peer joined: {Name} at {Address} (gossip)", gossip.Name, originator);
            PeerJoined?.Invoke();
        }

        ReplyToGossip(originator, now);
        if (from == originator && !proof.Guard.IsTrusted(originator, now))
        {
            // A peer announcing itself: challenge it at once, so that its first STATS or GET_BLOCK can be answered.
            proof.Challenge(originator);
        }

        if (original.Length > WireLimits.MaxOutboundDatagram)
        {
            // Padded far past what peers read (recv(1024)): forwarding it would truncate on their side
            // and multiply a flooder's bytes by three. Answered, not forwarded.
            return;
        }

        // Forward the untouched bytes once, to up to 3 peers other than the sender and the originator,
        // chosen among those we may send them to: proven peers, else a few that have sent us something.
        var targets = Table.Sample(GossipFanout, node.Random, p => p.TrustedUntil <= now || p.Address == from || p.Address == originator);
        if (targets.Count < GossipFanout)
        {
            AddHeardPeers(targets, from, originator, now);
        }

        foreach (var peer in targets)
        {
            node.SendRaw(peer.Address, gossip.Type, original, Outbound.Push);
        }
    }

    /// <summary>Tops up forward targets with unproven peers that are no third party (a bounded number of lookups); the send is rate-limited.</summary>
    private void AddHeardPeers(List<Peer> targets, PeerAddress from, PeerAddress originator, DateTimeOffset now)
    {
        var probes = 0;
        foreach (var peer in Peers.All)
        {
            if (targets.Count >= GossipFanout || probes >= MaxPushProbes)
            {
                return;
            }

            if (peer.TrustedUntil > now || peer.Address == from || peer.Address == originator)
            {
                continue;
            }

            probes++;
            if (proof.Guard.MayPush(peer.Address, now))
            {
                targets.Add(peer);
            }
        }
    }

    /// <summary>
    /// Joins are logged as information, except those that pushed an unproven peer out of a full
    /// table: under a flood of forged GOSSIPs that is every datagram, and the log must not follow it.
    /// </summary>
    private LogLevel JoinLevel => lastJoinEvicted ? LogLevel.Debug : LogLevel.Information;

    /// <summary>Adds or refreshes a peer, copying what the address guard knows of it onto a newcomer.</summary>
    private Peer? TouchPeer(PeerAddress address, string? name, DateTimeOffset now, out bool added)
    {
        var evictions = Table.Evictions;
        var peer = Table.Touch(address, name, now, out added);
        lastJoinEvicted = Table.Evictions != evictions;
        if (peer is not null && added)
        {
            peer.TrustedUntil = proof.Guard.TrustedUntil(address, now);
        }

        return peer;
    }

    private void ReplyToGossip(PeerAddress originator, DateTimeOffset now)
    {
        ref var last = ref lastGossipReply.GetOrAdd(originator, out var added);
        if (!added && now - last < GossipReplyMinInterval)
        {
            return;
        }

        last = now;
        node.Send(originator, new GossipReply(self.HostFor(originator), node.Options.Port, node.Options.Name));
    }

    internal void OnGossipReply(PeerAddress from, GossipReply reply)
    {
        var address = new PeerAddress(reply.Host, reply.Port);
        if (self.IsSelf(address))
        {
            return;
        }

        if (TouchPeer(address, reply.Name, node.Now, out var added) is not null && added)
        {
            node.Logger.Log(JoinLevel, "peer joined: {Name} at {Address} (reply from {From})", reply.Name, address, from);
            PeerJoined?.Invoke();
        }
    }

    private void ExpirePeers()
    {
        foreach (var peer in Table.Expire(node.Now, node.Options.PeerTimeout))
        {
            // A peer that never proved it receives is most often a forged name: not worth an information line each.
            node.Logger.Log(peer.TrustedUntil == default ? LogLevel.Debug : LogLevel.Information, "peer dropped: {Name} at {Address}, silent since {LastHeard:O}", peer.Name, peer.Address, peer.LastHeard);
        }
    }
}
