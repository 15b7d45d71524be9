using System.Runtime.CompilerServices;

namespace Aviary.Node.Limits;

/// <summary>
/// A map with a fixed number of slots that evicts its least recently used entry when a new key
/// arrives and every slot is taken. Values are structs held in one array and handed out by
/// reference, so lookups and updates allocate nothing and the table never grows past its capacity,
/// however many distinct keys a flood brings.
/// </summary>
public sealed class LruTable<TKey, TValue>
    where TKey : notnull
    where TValue : struct
{
    private const int None = -1;

    private readonly Dictionary<TKey, int> slots;
    private readonly TKey[] keys;
    private readonly TValue[] values;
    private readonly int[] newer;
    private readonly int[] older;
    private int newest = None;
    private int oldest = None;
    private int free = None;
    private int used;

    public LruTable(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        slots = new Dictionary<TKey, int>(capacity, comparer);
        keys = new TKey[capacity];
        values = new TValue[capacity];
        newer = new int[capacity];
        older = new int[capacity];
    }

    public int Capacity { get; }

    public int Count => slots.Count;

    /// <summary>Entries pushed out to make room for new keys.</summary>
    public long Evictions { get; private set; }

    /// <summary>The value for <paramref name="key"/>, marked most recently used; a null reference when absent.</summary>
    public ref TValue Find(TKey key)
    {
        if (!slots.TryGetValue(key, out var slot))
        {
            return ref Unsafe.NullRef<TValue>();
        }

        MakeNewest(slot);
        return ref values[slot];
    }

    /// <summary>The value for <paramref name="key"/>, added as <c>default</c> (evicting the oldest entry if full) when absent.</summary>
    public ref TValue GetOrAdd(TKey key, out bool added)
    {
        if (slots.TryGetValue(key, out var slot))
        {
            added = false;
            MakeNewest(slot);
            return ref values[slot];
        }

        if (free != None)
        {
            slot = free;
            free = older[slot];
        }
        else if (used < Capacity)
        {
            slot = used++;
        }
        else
        {
            slot = oldest;
            Unlink(slot);
            slots.Remove(keys[slot]);
            Evictions++;
        }

        keys[slot] = key;
        values[slot] = default;
        slots.Add(key, slot);
        LinkNewest(slot);
        added = true;
        return ref values[slot];
    }

    public bool Remove(TKey key)
    {
        if (!slots.Remove(key, out var slot))
        {
            return false;
        }

        Unlink(slot);
        keys[slot] = default!;
        values[slot] = default;
        older[slot] = free;
        free = slot;
        return true;
    }

    public bool ContainsKey(TKey key) => slots.ContainsKey(key);

    private void MakeNewest(int slot)
    {
        if (slot == newest)
        {
            return;
        }

        Unlink(slot);
        LinkNewest(slot);
    }

    private void LinkNewest(int slot)
    {
        newer[slot] = None;
        older[slot] = newest;
        if (newest != None)
        {
            newer[newest] = slot;
        }

        newest = slot;
        if (oldest == None)
        {
            oldest = slot;
        }
    }

    private void Unlink(int slot)
    {
        var n = newer[slot];
        var o = older[slot];
        if (n != None)
        {
            older[n] = o;
        }
        else
        {
            newest = o;
        }

        if (o != None)
        {
            newer[o] = n;
        }
        else
        {
            oldest = n;
        }
    }
}
