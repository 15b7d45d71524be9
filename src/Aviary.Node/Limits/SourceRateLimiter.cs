using System.Runtime.CompilerServices;

using Aviary.Protocol;

namespace Aviary.Node.Limits;

/// <summary>Which budget of <see cref="RateLimits"/> a dropped datagram ran out of.</summary>
public enum RateClass
{
    /// <summary>The per-source datagram budget, checked before decoding.</summary>
    Datagrams,

    /// <summary>The per-source byte budget, checked before decoding.</summary>
    Bytes,

    Stats,
    GetBlock,
    Gossip,
    Consensus,

    /// <summary>ANNOUNCE and NEW_WORD.</summary>
    Chain,
}

/// <summary>
/// Token buckets per source (<see cref="SourceKey"/>) in a fixed-size table: the least recently heard
/// source is forgotten when a new one arrives and the table is full. A forgotten source starts again
/// with full buckets, which favours honest peers: to reset its own budget a flooder must first push
/// <see cref="MaxSources"/> other sources through, and every one of those is charged too.
/// </summary>
public sealed class SourceRateLimiter(RateLimits limits)
{
    /// <summary>Sources tracked at once; a bucket set is ≈ 120 bytes, so the table stays under 1 MB.</summary>
    public const int MaxSources = 4096;

    private readonly LruTable<SourceKey, Buckets> table = new(MaxSources);

    public RateLimits Limits { get; } = limits;

    public int Count => table.Count;

    /// <summary>The class of a decoded message, or null for replies (charged only before decoding).</summary>
    public static RateClass? ClassOf(Message message) => message switch
    {
        Stats => RateClass.Stats,
        GetBlock => RateClass.GetBlock,
        Gossip => RateClass.Gossip,
        Consensus => RateClass.Consensus,
        Announce or NewWord => RateClass.Chain,
        _ => null,
    };

    /// <summary>Charges one datagram of <paramref name="bytes"/> to its source before decoding; the budget that ran out, or null.</summary>
    public RateClass? AdmitDatagram(PeerAddress from, int bytes, DateTimeOffset now, out SourceKey key)
    {
        key = SourceKey.Of(from);
        ref var b = ref table.GetOrAdd(key, out _);
        var t = now.UtcTicks;
        if (!b.Datagrams.TryTake(t, Limits.Datagrams))
        {
            return RateClass.Datagrams;
        }

        return b.Bytes.TryTake(t, Limits.Bytes, bytes) ? null : RateClass.Bytes;
    }

    /// <summary>Charges a decoded message to the budget of its type; false when that budget is spent.</summary>
    public bool AdmitMessage(in SourceKey key, RateClass cls, DateTimeOffset now)
    {
        ref var b = ref table.Find(key);
        if (Unsafe.IsNullRef(ref b))
        {
            b = ref table.GetOrAdd(key, out _);
        }

        var t = now.UtcTicks;
        return cls switch
        {
            RateClass.Stats => b.Stats.TryTake(t, Limits.Stats),
            RateClass.GetBlock => b.GetBlock.TryTake(t, Limits.GetBlock),
            RateClass.Gossip => b.Gossip.TryTake(t, Limits.Gossip),
            RateClass.Consensus => b.Consensus.TryTake(t, Limits.Consensus),
            RateClass.Chain => b.Chain.TryTake(t, Limits.Chain),
            _ => true,
        };
    }

    private struct Buckets
    {
        public TokenBucket Datagrams;
        public TokenBucket Bytes;
        public TokenBucket Stats;
        public TokenBucket GetBlock;
        public TokenBucket Gossip;
        public TokenBucket Consensus;
        public TokenBucket Chain;
    }
}
