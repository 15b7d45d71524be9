using Aviary.Chain;

namespace Aviary.Node.Sync;

/// <summary>
/// The fork search: where a claimed chain leaves ours, found with few GET_BLOCKs (gallop down from the
/// top, then bisect). It only chooses heights; the download sends the probes and feeds the answers
/// back. With a <see cref="SavedBranch"/>, "ours" is our chain up to the branch's fork point and the
/// branch above it, so a download resumes from the verified blocks of a stalled one wherever the
/// claimed chain holds them (a claimer serving the same hash at a height vouches for every block below it).
/// </summary>
public sealed class ForkSearch(LocalChain chain, long targetHeight)
{
    // The highest height known to match ours, and the lowest known to differ.
    private long matchBelow = -1;
    private long mismatchAt;
    private long gallopStep = 1;
    private bool galloping = true;
    private SavedBranch? resume;

    /// <summary>Verified blocks of an earlier, stalled attempt to compare against (dropped unless it still fits our chain).</summary>
    public SavedBranch? Resume
    {
        get => resume;
        set => resume = value is not null && value.FitsOn(chain) ? value : null;
    }

    /// <summary>The first height to probe, or null when there is nothing to compare (the fork is at 0).</summary>
    public long? FirstProbe()
    {
        var ours = resume?.End ?? chain.Count;
        if (ours == 0)
        {
            return null;
        }

        mismatchAt = Math.Min(ours, targetHeight);
        return mismatchAt - 1;
    }

    /// <summary>True when the compared chain holds <paramref name="hash"/> at <paramref name="height"/>.</summary>
    public bool Matches(long height, string hash) => OurHashAt(height) == hash;

    /// <summary>
    /// A claimer's block at a probed height: the next height to probe, or the fork point once the
    /// highest match and the lowest mismatch are adjacent.
    /// </summary>
    public ForkSearchStep OnProbe(long height, string hash)
    {
        var matched = Matches(height, hash);
        if (matched)
        {
            matchBelow = height;
            galloping = false;
        }
        else
        {
            mismatchAt = height;
        }

        if (mismatchAt == 0 || mismatchAt - matchBelow <= 1)
        {
            return new ForkSearchStep(matched, matchBelow + 1, null);
        }

        long nextProbe;
        if (galloping)
        {
            gallopStep *= 2;
            nextProbe = Math.Max(0, mismatchAt - gallopStep);
        }
        else
        {
            nextProbe = matchBelow + ((mismatchAt - matchBelow) / 2);
        }

        return new ForkSearchStep(matched, null, nextProbe);
    }

    /// <summary>The hash at <paramref name="height"/> of the chain we compare against: ours, or ours topped by the saved branch.</summary>
    private string? OurHashAt(long height) =>
        resume is { } r && height >= r.ForkHeight
            ? (height < r.End ? r.Blocks[(int)(height - r.ForkHeight)].Hash : null)
            : chain[height]?.Hash;
}

/// <summary>The outcome of one probe: whether it matched ours, and either the fork point or the next height to probe.</summary>
public readonly record struct ForkSearchStep(bool Matched, long? Fork, long? NextProbe);
