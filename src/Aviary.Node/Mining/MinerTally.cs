using Aviary.Chain;

namespace Aviary.Node.Mining;

/// <summary>
/// Blocks per miner (<c>minedBy</c>) over our main chain, kept up to date from <see cref="LocalChain.Changed"/>
/// at the cost of the blocks that changed. At most <see cref="MaxNames"/> names are counted one by one;
/// blocks of further names are summed in <see cref="Others"/>.
/// </summary>
public sealed class MinerTally
{
    /// <summary>Distinct names counted one by one: a status page shows the top few, and minedBy is free text any peer picks.</summary>
    public const int MaxNames = 1000;

    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    /// <summary>The name each height was counted under, or null when it went to <see cref="Others"/>.</summary>
    private readonly List<string?> counted = [];

    /// <summary>Blocks by names past the first <see cref="MaxNames"/>.</summary>
    public long Others { get; private set; }

    /// <summary>Blocks counted (the chain's length after the last update).</summary>
    public long Blocks => counted.Count;

    /// <summary>Blocks per named miner.</summary>
    public IReadOnlyDictionary<string, long> ByMiner => counts;

    /// <summary>Brings the tally in line with <paramref name="chain"/>, whose blocks from <paramref name="from"/> up changed.</summary>
    public void Update(LocalChain chain, long from)
    {
        from = Math.Clamp(from, 0, counted.Count);
        for (var h = counted.Count - 1; h >= from; h--)
        {
            Remove(counted[h]);
            counted.RemoveAt(h);
        }

        for (var h = from; h < chain.Count; h++)
        {
            counted.Add(Add(chain[h]!.MinedBy));
        }
    }

    private string? Add(string name)
    {
        if (counts.TryGetValue(name, out var n))
        {
            counts[name] = n + 1;
            return name;
        }

        if (counts.Count < MaxNames)
        {
            counts[name] = 1;
            return name;
        }

        Others++;
        return null;
    }

    private void Remove(string? name)
    {
        if (name is null)
        {
            Others--;
        }
        else if (counts[name] == 1)
        {
            counts.Remove(name);
        }
        else
        {
            counts[name]--;
        }
    }
}
