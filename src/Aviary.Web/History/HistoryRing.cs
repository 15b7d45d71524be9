namespace Aviary.Web.History;

/// <summary>
/// The last <see cref="Capacity"/> samples, oldest first: a fixed array written round, so the history
/// the charts start from costs the same after a minute or a month. Thread-safe.
/// </summary>
public sealed class HistoryRing<T>
{
    private readonly T[] items;
    private readonly Lock gate = new();
    private int next;
    private int count;

    public HistoryRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        items = new T[capacity];
    }

    /// <summary>Most samples kept; the oldest goes when a new one comes.</summary>
    public int Capacity => items.Length;

    /// <summary>Samples kept now.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    public void Add(T item)
    {
        lock (gate)
        {
            items[next] = item;
            next = (next + 1) % items.Length;
            count = Math.Min(count + 1, items.Length);
        }
    }

    /// <summary>A copy of the samples, oldest first.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (gate)
        {
            var copy = new T[count];
            var start = (next - count + items.Length) % items.Length;
            for (var i = 0; i < count; i++)
            {
                copy[i] = items[(start + i) % items.Length];
            }

            return copy;
        }
    }
}
