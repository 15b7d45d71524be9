namespace Aviary.Node.Sync;

/// <summary>A chain as a STATS_REPLY or an ANNOUNCE describes it: its number of blocks and its top hash.</summary>
public readonly record struct ChainClaim(long Height, string Hash)
{
    public override string ToString() => $"{Height} @ {Hash[..Math.Min(12, Hash.Length)]}…";
}
