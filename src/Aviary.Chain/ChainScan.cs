using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>What reading a chain database found, before any repair.</summary>
internal sealed class ChainScan
{
    /// <summary>The longest valid prefix read, from genesis.</summary>
    public List<Block> Valid { get; } = [];

    public List<StoreFinding> Findings { get; } = [];

    public StoredMeta Meta { get; set; } = new();

    /// <summary>Reading stopped at a bad block, so rows above <see cref="Valid"/> must go.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>Stored rows above the valid prefix (counted when reading stopped early and SQLite could count them).</summary>
    public long RowsAbove { get; set; }

    /// <summary>Set when the file cannot be repaired in place and must be moved aside (then rebuilt from <see cref="Valid"/>).</summary>
    public StoreDamage? SetAsideFor { get; private set; }

    /// <summary>Blocks stored or recorded above the valid prefix, as far as can be told.</summary>
    public long Dropped => Math.Max(RowsAbove, Math.Max(0, (Meta.TipHeight ?? -1) + 1 - Valid.Count));

    public void Stop(StoreFinding finding)
    {
        Add(finding);
        StoppedEarly = true;
    }

    public void SetAside(StoreFinding finding)
    {
        Stop(finding);
        SetAsideFor ??= finding.Kind;
    }

    /// <summary>Adds a finding unless the same one is already there (SQLite repeats its damage message).</summary>
    public void Add(StoreFinding finding)
    {
        if (!Findings.Contains(finding))
        {
            Findings.Add(finding);
        }
    }
}

/// <summary>The meta table as read; null where an entry is missing or unreadable.</summary>
internal sealed record StoredMeta(long? SchemaVersion = null, int? Difficulty = null, long? TipHeight = null, string? TipHash = null);
