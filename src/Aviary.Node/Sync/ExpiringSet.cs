namespace Aviary.Node.Sync;

/// <summary>A bounded set whose entries expire; past the cap the oldest entry is forgotten first.</summary>
public sealed class ExpiringSet<T>(int capacity, TimeSpan lifetime)
    where T : notnull
{
    private readonly Dictionary<T, DateTimeOffset> until = [];

    public int Count => until.Count;

    public int Capacity { get; } = capacity;

    public void Add(T item, DateTimeOffset now)
    {
        if (!until.ContainsKey(item) && until.Count >= Capacity)
        {
            Purge(now);
            if (until.Count >= Capacity)
            {
                until.Remove(until.MinBy(e => e.Value).Key);
            }
        }

        until[item] = now + lifetime;
    }

    public bool Contains(T item, DateTimeOffset now)
    {
        if (!until.TryGetValue(item, out var end))
        {
            return false;
        }

        if (end > now)
        {
            return true;
        }

        until.Remove(item);
        return false;
    }

    public void Clear() => until.Clear();

    private void Purge(DateTimeOffset now)
    {
        foreach (var stale in until.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            until.Remove(stale);
        }
    }
}
