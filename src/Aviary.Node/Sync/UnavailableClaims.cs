namespace Aviary.Node.Sync;

/// <summary>
/// Claims that no peer would serve, each skipped until its own time. A claim whose holders never
/// delivered a block is skipped for <see cref="Silent"/>, so a silent liar is not asked again each
/// round; one whose holder delivered and then stalled (a slow peer) is retried soon, with back-off:
/// <see cref="FirstRetry"/>, doubled for each stall in a row, up to <see cref="Silent"/>. Bounded:
/// past the cap, the entry due first is forgotten.
/// </summary>
public sealed class UnavailableClaims(int capacity)
{
    /// <summary>How long a claim nobody answered for is skipped (as long as one consensus round or two).</summary>
    public static readonly TimeSpan Silent = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before a stalled, slow claim is tried again.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);

    private readonly Dictionary<ChainClaim, (int Stalls, DateTimeOffset Until)> claims = [];

    public int Count => claims.Count;

    /// <summary>Nobody delivered anything for <paramref name="claim"/>: skip it for <see cref="Silent"/>.</summary>
    public TimeSpan Unanswered(ChainClaim claim, DateTimeOffset now)
    {
        var stalls = claims.TryGetValue(claim, out var e) ? e.Stalls : 0;
        Put(claim, stalls, now + Silent, now);
        return Silent;
    }

    /// <summary>Its holders delivered, then stalled: skip it for a back-off that doubles with each stall in a row.</summary>
    public TimeSpan Stalled(ChainClaim claim, DateTimeOffset now)
    {
        var stalls = (claims.TryGetValue(claim, out var e) ? e.Stalls : 0) + 1;
        var wait = TimeSpan.FromTicks(Math.Min(Silent.Ticks, FirstRetry.Ticks << Math.Min(stalls - 1, 16)));
        Put(claim, stalls, now + wait, now);
        return wait;
    }

    public bool Contains(ChainClaim claim, DateTimeOffset now) => claims.TryGetValue(claim, out var e) && e.Until > now;

    /// <summary>The claim was fetched: its back-off starts over.</summary>
    public void Forget(ChainClaim claim) => claims.Remove(claim);

    private void Put(ChainClaim claim, int stalls, DateTimeOffset until, DateTimeOffset now)
    {
        if (!claims.ContainsKey(claim) && claims.Count >= capacity)
        {
            // Entries past their time are kept only for their stall count: forget those first.
            foreach (var due in claims.Where(c => c.Value.Until <= now).Select(c => c.Key).ToList())
            {
                claims.Remove(due);
            }

            if (claims.Count >= capacity)
            {
                claims.Remove(claims.MinBy(c => c.Value.Until).Key);
            }
        }

        claims[claim] = (stalls, until);
    }
}
