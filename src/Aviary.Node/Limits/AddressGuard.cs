using System.Runtime.CompilerServices;

namespace Aviary.Node.Limits;

/// <summary>What a datagram we are about to send is, for <see cref="AddressGuard"/>.</summary>
public enum Outbound
{
    /// <summary>A STATS_REPLY or GET_BLOCK_REPLY: within the response rate limits.</summary>
    Answer,

    /// <summary>A STATS we send: within the response rate limits; its STATS_REPLY proves the address.</summary>
    StatsRequest,

    /// <summary>A GET_BLOCK we send: within the response rate limits; its GET_BLOCK_REPLY proves the address.</summary>
    BlockRequest,

    /// <summary>A GOSSIP of ours (keep-alive or challenge): one per <see cref="AddressGuard.ChallengeInterval"/>; its GOSSIP_REPLY proves the address.</summary>
    OwnGossip,

    /// <summary>A GOSSIP_REPLY to an originator: the protocol requires it; the core limits it to one per address per 10 s.</summary>
    GossipReply,

    /// <summary>Anything else we push unasked (forwarded GOSSIP, ANNOUNCE): within the response rate limits.</summary>
    Push,
}

/// <summary>
/// No amplification toward addresses that have not proven they receive what we send. Everyone who
/// asks is answered, within response rate limits (<see cref="ResponseRateLimiter"/>: per address, per
/// prefix and in all) that bound what a forged flood can aim at a victim. An address that never sent
/// us a datagram (one only named in someone else's GOSSIP) gets one GOSSIP_REPLY or GOSSIP of ours
/// per 10 s, nothing else. An address is proven when it answers a request we sent it (our GOSSIP with
/// a GOSSIP_REPLY, our STATS with a STATS_REPLY, our GET_BLOCK with a GET_BLOCK_REPLY) within
/// <see cref="ProofWindow"/>; configured bootstrap peers are trusted from the start. Proven addresses
/// are not limited here. Both tables are fixed-size, least recently used out first.
/// </summary>
/// <remarks>
/// Limit of the proof: no course message echoes anything of the request, so an answer proves only
/// that something replied from that address in the window after we asked. A blind spoofer who
/// predicts when we ask can forge it; what it then gains is bounded by the per-source rate limits.
/// </remarks>
public sealed class AddressGuard
{
    /// <summary>Unproven addresses whose challenges and open requests we remember (≈ 56 bytes each).</summary>
    public const int MaxUnproven = 4096;

    /// <summary>
    /// Proven addresses remembered. Far above the tracked peers (256) plus the clients syncing from
    /// us; only answers to our own requests add entries, so a flood of new sources cannot churn it.
    /// </summary>
    public const int MaxProven = 1024;

    /// <summary>Most GOSSIP challenges sent per second to unproven addresses, whoever asks: each one also travels the network.</summary>
    public static readonly Budget ChallengeBudget = new(20, 50);

    /// <summary>How long after our request an answer from that address proves it.</summary>
    public static readonly TimeSpan ProofWindow = TimeSpan.FromSeconds(5);

    /// <summary>How long a proof lasts without a further answer (peers answer our keep-alives every 30 s).</summary>
    public static readonly TimeSpan ProofLifetime = TimeSpan.FromMinutes(30);

    /// <summary>At most one GOSSIP of ours (keep-alive or challenge) per unproven address in this window.</summary>
    public static readonly TimeSpan ChallengeInterval = TimeSpan.FromSeconds(10);

    private readonly HashSet<PeerAddress> trusted;
    private readonly LruTable<PeerAddress, Unproven> unproven = new(MaxUnproven);
    private readonly LruTable<PeerAddress, long> proven = new(MaxProven);
    private readonly ResponseRateLimiter responses;
    private TokenBucket challenges;

    public AddressGuard(IEnumerable<PeerAddress> trusted, ResponseLimits limits)
    {
        this.trusted = [.. trusted];
        responses = new ResponseRateLimiter(limits);
    }

    /// <summary>The response rate limits' tables (for the status page's table sizes).</summary>
    public ResponseRateLimiter Responses => responses;

    public int UnprovenCount => unproven.Count;

    public int ProvenCount => proven.Count;

    public bool IsTrusted(PeerAddress address, DateTimeOffset now) => trusted.Contains(address) || IsProven(address, now);

    public bool IsProven(PeerAddress address, DateTimeOffset now)
    {
        ref var until = ref proven.Find(address);
        if (Unsafe.IsNullRef(ref until))
        {
            return false;
        }

        if (until > now.UtcTicks)
        {
            return true;
        }

        proven.Remove(address);
        return false;
    }

    /// <summary>Until when <paramref name="address"/> is trusted: forever for bootstrap peers, the proof's end, or <see cref="DateTimeOffset.MinValue"/>.</summary>
    public DateTimeOffset TrustedUntil(PeerAddress address, DateTimeOffset now)
    {
        if (trusted.Contains(address))
        {
            return DateTimeOffset.MaxValue;
        }

        return IsProven(address, now) ? new DateTimeOffset(proven.Find(address), TimeSpan.Zero) : DateTimeOffset.MinValue;
    }

    /// <summary>A datagram arrived from <paramref name="from"/>: an unproven address is no third party.</summary>
    public void Received(PeerAddress from, DateTimeOffset now)
    {
        if (!IsTrusted(from, now))
        {
            unproven.GetOrAdd(from, out _).Heard = true;
        }
    }

    /// <summary>
    /// <paramref name="address"/> is no third party although nothing came from it yet: a GOSSIP naming
    /// it arrived from another port of the same host (a peer that sends from a second socket).
    /// </summary>
    public void Vouch(PeerAddress address, DateTimeOffset now)
    {
        if (!IsTrusted(address, now))
        {
            unproven.GetOrAdd(address, out _).Heard = true;
        }
    }

    /// <summary>Whether <paramref name="to"/> may be pushed a datagram now: proven, or heard from (the rate limits are checked on the send).</summary>
    public bool MayPush(PeerAddress to, DateTimeOffset now)
    {
        if (IsTrusted(to, now))
        {
            return true;
        }

        ref var u = ref unproven.Find(to);
        return !Unsafe.IsNullRef(ref u) && u.Heard;
    }

    /// <summary>Decides a send and, when it may go, charges it: rate budgets spent, allowance used, request time noted. Null when it may go, else why not.</summary>
    public WithholdReason? Admit(PeerAddress to, int bytes, Outbound kind, DateTimeOffset now)
    {
        if (IsTrusted(to, now))
        {
            return null;
        }

        var t = now.UtcTicks;
        if (kind == Outbound.GossipReply)
        {
            // Required by the protocol (the core sends at most one per address per 10 s) and not
            // rate-limited. To a third party that never sent us a byte it is the one datagram of the window.
            ref var r = ref unproven.GetOrAdd(to, out _);
            if (!r.Heard && !Due(r.LastChallenge, t))
            {
                return WithholdReason.ThirdParty;
            }

            r.LastReply = t;
            return null;
        }

        if (kind == Outbound.OwnGossip)
        {
            // Our GOSSIP is the challenge: its own allowance pays for it. A third party that never
            // sent us a byte shares one datagram per window with GOSSIP_REPLY.
            ref var g = ref unproven.GetOrAdd(to, out _);
            if (!g.Heard && !Due(g.LastReply, t))
            {
                return WithholdReason.ThirdParty;
            }

            if (!Due(g.LastChallenge, t) || !challenges.TryTake(t, ChallengeBudget))
            {
                return WithholdReason.Challenge;
            }

            g.LastChallenge = t;
            g.GossipAt = t;
            return null;
        }

        ref var u = ref unproven.Find(to);
        if (Unsafe.IsNullRef(ref u) || !u.Heard)
        {
            return WithholdReason.ThirdParty;
        }

        if (responses.Admit(to, bytes, now) is { } spent)
        {
            return spent;
        }

        if (kind == Outbound.StatsRequest)
        {
            u.StatsAt = t;
        }
        else if (kind == Outbound.BlockRequest)
        {
            u.GetBlockAt = t;
        }

        return null;
    }

    /// <summary>
    /// A reply of the given kind arrived from <paramref name="from"/>. True when it answers a request we
    /// sent that address within <see cref="ProofWindow"/> and so proves it; a proven address's proof is renewed.
    /// </summary>
    public bool Answered(PeerAddress from, Outbound request, DateTimeOffset now)
    {
        var t = now.UtcTicks;
        ref var until = ref proven.Find(from);
        if (!Unsafe.IsNullRef(ref until))
        {
            until = Math.Max(until, t + ProofLifetime.Ticks);
            return false;
        }

        ref var u = ref unproven.Find(from);
        if (Unsafe.IsNullRef(ref u))
        {
            return false;
        }

        var askedAt = request switch
        {
            Outbound.OwnGossip => u.GossipAt,
            Outbound.StatsRequest => u.StatsAt,
            Outbound.BlockRequest => u.GetBlockAt,
            _ => 0,
        };
        if (askedAt == 0 || t - askedAt > ProofWindow.Ticks)
        {
            return false;
        }

        unproven.Remove(from);
        proven.GetOrAdd(from, out _) = t + ProofLifetime.Ticks;
        return true;
    }

    private static bool Due(long last, long t) => last == 0 || t - last >= ChallengeInterval.Ticks;

    private struct Unproven
    {
        /// <summary>True once any datagram came from the address (it is no third party).</summary>
        public bool Heard;
        public long LastReply;
        public long LastChallenge;
        public long GossipAt;
        public long StatsAt;
        public long GetBlockAt;
    }
}
