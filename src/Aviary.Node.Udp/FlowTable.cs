namespace Aviary.Node.Udp;

/// <summary>
/// Which queue of a <see cref="FairQueue"/> each source with datagrams waiting owns: a fixed-size
/// open-addressing table (linear probing, kept at most half full, entries removed by shifting back
/// rather than leaving tombstones), so it never allocates or grows.
/// </summary>
internal sealed class FlowTable
{
    private const int Empty = -1;

    private readonly ulong seed;
    private readonly ulong[] keys;
    private readonly int[] values;
    private readonly int mask;

    /// <summary>A table for at most <paramref name="capacity"/> sources (a power of two), its probe sequence keyed by <paramref name="seed"/>.</summary>
    public FlowTable(int capacity, ulong seed)
    {
        this.seed = seed;
        keys = new ulong[2 * capacity];
        values = new int[2 * capacity];
        mask = (2 * capacity) - 1;
        Array.Fill(values, Empty);
    }

    public int Count { get; private set; }

    /// <summary>The queue <paramref name="flow"/> owns, or -1.</summary>
    public int Find(ulong flow)
    {
        for (var i = Home(flow); values[i] != Empty; i = (i + 1) & mask)
        {
            if (keys[i] == flow)
            {
                return values[i];
            }
        }

        return Empty;
    }

    /// <summary>Records that <paramref name="flow"/> (not in the table, which is not full) owns <paramref name="queue"/>.</summary>
    public void Add(ulong flow, int queue)
    {
        var i = Home(flow);
        while (values[i] != Empty)
        {
            i = (i + 1) & mask;
        }

        keys[i] = flow;
        values[i] = queue;
        Count++;
    }

    /// <summary>Forgets <paramref name="flow"/>, if present.</summary>
    public void Remove(ulong flow)
    {
        var i = Home(flow);
        while (values[i] != Empty && keys[i] != flow)
        {
            i = (i + 1) & mask;
        }

        if (values[i] == Empty)
        {
            return;
        }

        values[i] = Empty;
        Count--;

        // Move back every later entry of the run that may no longer be found past the gap.
        for (var j = (i + 1) & mask; values[j] != Empty; j = (j + 1) & mask)
        {
            var home = Home(keys[j]);
            var reachable = i < j ? home > i && home <= j : home > i || home <= j;
            if (!reachable)
            {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = Empty;
                i = j;
            }
        }
    }

    private int Home(ulong flow) => InboxFlow.Bucket(flow, seed, mask + 1);
}
