namespace Aviary.Chain;

/// <summary>
/// What a store's load found and repaired: the blocks kept (the longest valid prefix), how many
/// stored or recorded blocks above it were dropped, the problems found, and where a file that could
/// not be repaired in place was moved.
/// </summary>
public sealed record ChainLoadOutcome(
    long Kept,
    long Dropped,
    IReadOnlyList<StoreFinding> Findings,
    string? MovedAsideTo,
    TimeSpan Elapsed)
{
    /// <summary>True when the store was sound: nothing found, nothing dropped or moved.</summary>
    public bool IsClean => Findings.Count == 0 && Dropped == 0 && MovedAsideTo is null;

    /// <summary>The report in one paragraph; empty when the store was sound.</summary>
    public string Report =>
        IsClean
            ? string.Empty
            : string.Join("; ", Findings) + $"; kept {Kept} blocks, dropped {Dropped}"
              + (MovedAsideTo is null ? string.Empty : $"; moved the old file to {MovedAsideTo}");

    public override string ToString() => IsClean ? $"{Kept} blocks, sound" : Report;
}
