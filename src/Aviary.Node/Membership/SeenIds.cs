namespace Aviary.Node.Membership;

/// <summary>
/// Gossip ids already handled (ours included), remembered for a while so a forward loop dies out.
/// Bounded: past the cap the oldest ids are forgotten first.
/// </summary>
public sealed class SeenIds(TimeSpan lifetime) : ISeenIdsView
{
    /// <summary>
    /// Most ids remembered. Honest traffic is a few ids per peer per 30 s; the cap bounds what a
    /// flood of unique ids can cost (it only makes us forget old ids sooner).
    /// </summary>
    public const int MaxIds = 20_000;

    private readonly Dictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> order = new();

    public int Count => seen.Count;

    /// <summary>Records <paramref name="id"/>; true when it was not already remembered.</summary>
    public bool Add(string id, DateTimeOffset now)
    {
        Expire(now);
        if (seen.ContainsKey(id))
        {
            return false;
        }

        while (seen.Count >= MaxIds && order.TryDequeue(out var oldest))
        {
            seen.Remove(oldest.Id);
        }

        seen[id] = now;
        order.Enqueue((id, now));
        return true;
    }

    public bool Contains(string id) => seen.ContainsKey(id);

    private void Expire(DateTimeOffset now)
    {
        while (order.TryPeek(out var oldest) && now - oldest.At > lifetime)
        {
            order.Dequeue();
            seen.Remove(oldest.Id);
        }
    }
}

/// <summary>What callers outside the core may read of its seen gossip ids.</summary>
public interface ISeenIdsView
{
    int Count { get; }

    bool Contains(string id);
}
