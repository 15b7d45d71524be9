using Aviary.Probe;

namespace Aviary.Census;

/// <summary>What a node's census knows of one peer: when it was heard of, its last claim and its last grade.</summary>
public sealed record CensusEntry
{
    public required string Address { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset FirstHeard { get; init; }

    public required DateTimeOffset LastHeard { get; init; }

    /// <summary>Its last claim (block count and top hash) and when it was made.</summary>
    public long? Height { get; init; }

    public string? Hash { get; init; }

    public DateTimeOffset? ClaimAt { get; init; }

    /// <summary>The last grading: when, whether it answered, the grade, failed checks, where its chain sat.</summary>
    public DateTimeOffset? GradedAt { get; init; }

    public bool? Answered { get; init; }

    public char? Grade { get; init; }

    public int Passed { get; init; }

    public int Failed { get; init; }

    public IReadOnlyList<CheckResult> Failures { get; init; } = [];

    public ChainPlace? Place { get; init; }
}

/// <summary>
/// Every peer a node has heard of, past the membership's 60 s window: bounded (the least recently heard
/// is forgotten first) and expiring (a peer not heard of for the retention time is dropped). Thread-safe.
/// </summary>
public sealed class CensusTable(int capacity, TimeSpan retention)
{
    private readonly Dictionary<string, CensusEntry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public int Capacity { get; } = capacity;

    public TimeSpan Retention { get; } = retention;

    /// <summary>Entries forgotten because the table was full.</summary>
    public long Evicted { get; private set; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>A peer heard of now (with its claim when it made one).</summary>
    public void Heard(string address, string name, DateTimeOffset lastHeard, long? height, string? hash, DateTimeOffset? claimAt)
    {
        lock (gate)
        {
            if (entries.TryGetValue(address, out var e))
            {
                entries[address] = e with
                {
                    Name = name,
                    LastHeard = lastHeard > e.LastHeard ? lastHeard : e.LastHeard,
                    Height = claimAt is not null && (e.ClaimAt is null || claimAt >= e.ClaimAt) ? height : e.Height,
                    Hash = claimAt is not null && (e.ClaimAt is null || claimAt >= e.ClaimAt) ? hash : e.Hash,
                    ClaimAt = claimAt is not null && (e.ClaimAt is null || claimAt >= e.ClaimAt) ? claimAt : e.ClaimAt,
                };
                return;
            }

            if (entries.Count >= Capacity)
            {
                var oldest = entries.Values.MinBy(x => x.LastHeard)!;
                entries.Remove(oldest.Address);
                Evicted++;
            }

            entries[address] = new CensusEntry { Address = address, Name = name, FirstHeard = lastHeard, LastHeard = lastHeard, Height = height, Hash = hash, ClaimAt = claimAt };
        }
    }

    /// <summary>Records a grading of <paramref name="address"/> (ignored when it was forgotten meanwhile).</summary>
    public void Graded(string address, Func<CensusEntry, CensusEntry> update)
    {
        lock (gate)
        {
            if (entries.TryGetValue(address, out var e))
            {
                entries[address] = update(e);
            }
        }
    }

    /// <summary>Drops peers not heard of within the retention time.</summary>
    public int Expire(DateTimeOffset now)
    {
        lock (gate)
        {
            var gone = entries.Values.Where(e => now - e.LastHeard > Retention).Select(e => e.Address).ToList();
            foreach (var a in gone)
            {
                entries.Remove(a);
            }

            return gone.Count;
        }
    }

    /// <summary>The peer graded longest ago (never graded first), or null for an empty table.</summary>
    public CensusEntry? NextToGrade()
    {
        lock (gate)
        {
            return entries.Values.OrderBy(e => e.GradedAt ?? DateTimeOffset.MinValue).ThenBy(e => e.FirstHeard).FirstOrDefault();
        }
    }

    public IReadOnlyList<CensusEntry> Snapshot()
    {
        lock (gate)
        {
            return [.. entries.Values.OrderBy(e => e.FirstHeard).ThenBy(e => e.Address, StringComparer.Ordinal)];
        }
    }
}
