using System.Runtime.CompilerServices;

namespace Aviary.Node.Limits;

/// <summary>What a datagram we are about to send is, for <see cref="AddressGuard"/>.</summary>
public enum Outbound
{
    /// <summary>A STATS_REPLY or GET_BLOCK_REPLY: paid from the requester's byte credit.</summary>
    Answer,

    /// <summary>A STATS we send: paid from credit; its STATS_REPLY proves the address.</summary>
    StatsRequest,

    /// <summary>A GET_BLOCK we send: paid from credit; its GET_BLOCK_REPLY proves the address.</summary>
    BlockRequest,

    /// <summary>A GOSSIP of our own (keep-alive or challenge): one per <see cref="AddressGuard.ChallengeInterval"/>, never paid from credit; its GOSSIP_REPLY proves the address.</summary>
    OwnGossip,

    /// <summary>A GOSSIP_REPLY to an originator: the protocol requires it; the core limits it to one per address per 10 s.</summary>
    GossipReply,

    /// <summary>Anything else we push unasked (forwarded GOSSIP, ANNOUNCE): paid from credit.</summary>
    Push,
}

/// <summary>
/// No amplification: an address that has not proven it receives what we send gets no more bytes
/// from us than it sent us (a byte credit: received bytes add, sent bytes spend), plus, per 10 s, one
/// GOSSIP_REPLY and one GOSSIP of ours (the challenge), which the protocol needs to let peers join
/// and prove themselves. A third party that never sent us a byte (an address named in someone
/// else's GOSSIP) gets one of the two per 10 s, nothing else. An address is proven when it answers a request we sent it (our GOSSIP with a
/// GOSSIP_REPLY, our STATS with a STATS_REPLY, our GET_BLOCK with a GET_BLOCK_REPLY) within
/// <see cref="ProofWindow"/>; configured bootstrap peers are trusted from the start. Both tables
/// are fixed-size, least recently used out first.
/// </summary>
/// <remarks>
/// Limit of the proof: no course message echoes anything of the request, so an answer proves only
/// that something replied from that address in the window after we asked. A blind spoofer who
/// predicts when we ask can forge it; what it then gains is bounded by the per-source rate limits.
/// </remarks>
public sealed class AddressGuard
{
    /// <summary>Unproven addresses whose credit and open requests we remember (≈ 64 bytes each).</summary>
    public const int MaxUnproven = 4096;

    /// <summary>
    /// Proven addresses remembered. Far above the tracked peers (256) plus the clients syncing from
    /// us; only answers to our own requests add entries, so a flood of new sources cannot churn it.
    /// </summary>
    public const int MaxProven = 1024;

    /// <summary>
    /// Most credit an address can bank: credit pays for answering what was just asked, and a cap keeps
    /// an address that sent a lot long ago from funding a burst later.
    /// </summary>
    public const long MaxCredit = 64 * 1024;

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
    private TokenBucket challenges;

    public AddressGuard(IEnumerable<PeerAddress> trusted) => this.trusted = [.. trusted];

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

    /// <summary>The byte credit of an unproven address (0 when unknown).</summary>
    public long CreditOf(PeerAddress address)
    {
        ref var u = ref unproven.Find(address);
        return Unsafe.IsNullRef(ref u) ? 0 : u.Credit;
    }

    /// <summary>A datagram of <paramref name="bytes"/> arrived from <paramref name="from"/>: credit for an unproven address.</summary>
    public void Received(PeerAddress from, int bytes, DateTimeOffset now)
    {
        if (IsTrusted(from, now))
        {
            return;
        }

        ref var u = ref unproven.GetOrAdd(from, out _);
        u.Heard = true;
        u.Credit = Math.Min(MaxCredit, u.Credit + bytes);
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

    /// <summary>Whether <paramref name="to"/> may be sent <paramref name="bytes"/> paid from credit (or needs none), without spending it.</summary>
    public bool CanAfford(PeerAddress to, int bytes, DateTimeOffset now) => IsTrusted(to, now) || CreditOf(to) >= bytes;

    /// <summary>Decides a send and, when it may go, charges it: credit spent, allowance used, request time noted.</summary>
    public bool Admit(PeerAddress to, int bytes, Outbound kind, DateTimeOffset now)
    {
        if (IsTrusted(to, now))
        {
            return true;
        }

        var t = now.UtcTicks;
        if (kind == Outbound.GossipReply)
        {
            // Required by the protocol (the core sends at most one per address per 10 s) and paid by no
            // credit. To a third party that never sent us a byte it is the one datagram of the window.
            ref var r = ref unproven.GetOrAdd(to, out _);
            if (!r.Heard && !Due(r.LastChallenge, t))
            {
                return false;
            }

            r.LastReply = t;
            return true;
        }

        if (kind == Outbound.OwnGossip)
        {
            // Our GOSSIP is the challenge: its own allowance pays for it, credit is kept for answers.
            // A third party that never sent us a byte shares one datagram per window with GOSSIP_REPLY.
            ref var g = ref unproven.GetOrAdd(to, out _);
            if (!Due(g.LastChallenge, t) || (!g.Heard && !Due(g.LastReply, t)) || !challenges.TryTake(t, ChallengeBudget))
            {
                return false;
            }

            g.LastChallenge = t;
            g.GossipAt = t;
            return true;
        }

        ref var u = ref unproven.Find(to);
        if (Unsafe.IsNullRef(ref u) || u.Credit < bytes)
        {
            return false;
        }

        u.Credit -= bytes;
        if (kind == Outbound.StatsRequest)
        {
            u.StatsAt = t;
        }
        else if (kind == Outbound.BlockRequest)
        {
            u.GetBlockAt = t;
        }

        return true;
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
        public long Credit;
        public long LastChallenge;
        public long GossipAt;
        public long StatsAt;
        public long GetBlockAt;
    }
}
