namespace Aviary.Node.Limits;

/// <summary>
/// Token buckets for <see cref="ResponseLimits"/>: one pair (sends, bytes) per unproven address, per
/// prefix, and one for all unproven traffic. A send is admitted only when every bucket holds enough,
/// and then charged to all of them. Tables are fixed-size, least recently used out first: a flood of
/// new addresses cannot grow them, and an address pushed out comes back with a full bucket only
/// after <see cref="MaxAddresses"/> others were charged, all within the global budget.
/// </summary>
public sealed class ResponseRateLimiter(ResponseLimits limits)
{
    /// <summary>Unproven addresses with their own buckets (≈ 80 bytes each).</summary>
    public const int MaxAddresses = 4096;

    /// <summary>Unproven prefixes with their own buckets.</summary>
    public const int MaxPrefixes = 4096;

    private readonly LruTable<PeerAddress, Pair> addresses = new(MaxAddresses);
    private readonly LruTable<SourceKey, Pair> prefixes = new(MaxPrefixes);
    private Pair global;

    public ResponseLimits Limits { get; } = limits;

    public int AddressCount => addresses.Count;

    public int PrefixCount => prefixes.Count;

    /// <summary>Charges one send of <paramref name="bytes"/> to <paramref name="to"/>; the budget that ran out, or null when it may go.</summary>
    public WithholdReason? Admit(PeerAddress to, int bytes, DateTimeOffset now)
    {
        var t = now.UtcTicks;
        ref var address = ref addresses.GetOrAdd(to, out _);
        if (!address.Has(t, Limits.AddressReplies, Limits.AddressBytes, bytes))
        {
            return WithholdReason.AddressRate;
        }

        ref var prefix = ref prefixes.GetOrAdd(SourceKey.Of(to), out _);
        if (!prefix.Has(t, Limits.PrefixReplies, Limits.PrefixBytes, bytes))
        {
            return WithholdReason.PrefixRate;
        }

        if (!global.Has(t, Limits.GlobalReplies, Limits.GlobalBytes, bytes))
        {
            return WithholdReason.GlobalRate;
        }

        address.Take(Limits.AddressReplies, Limits.AddressBytes, bytes);
        prefix.Take(Limits.PrefixReplies, Limits.PrefixBytes, bytes);
        global.Take(Limits.GlobalReplies, Limits.GlobalBytes, bytes);
        return null;
    }

    private struct Pair
    {
        private TokenBucket sends;
        private TokenBucket bytes;

        public bool Has(long t, Budget sendBudget, Budget byteBudget, int size) =>
            sends.Has(t, sendBudget) & bytes.Has(t, byteBudget, size);

        public void Take(Budget sendBudget, Budget byteBudget, int size)
        {
            sends.Take(sendBudget);
            bytes.Take(byteBudget, size);
        }
    }
}
