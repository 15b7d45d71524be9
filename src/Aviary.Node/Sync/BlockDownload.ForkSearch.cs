using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>
/// The fork search: where the claimed chain leaves ours, found with few GET_BLOCKs (gallop down from
/// the top, then bisect). With a <see cref="SavedBranch"/>, "ours" is our chain up to the branch's fork
/// point and the branch above it, so a download resumes from the verified blocks of a stalled one
/// wherever the claimed chain holds them (a claimer serving the same hash at a height vouches for
/// every block below it).
/// </summary>
public sealed partial class BlockDownload
{
    // The highest height known to match ours, and the lowest known to differ.
    private long matchBelow = -1;
    private long mismatchAt;
    private long gallopStep = 1;
    private bool galloping = true;

    private SavedBranch? resume;

    // Heights below this came from the saved branch, confirmed by a claimer: as sure as our own chain.
    private long resumedEnd = -1;

    /// <summary>Verified blocks of an earlier, stalled attempt to resume from (ignored unless it still fits our chain).</summary>
    public SavedBranch? Resume
    {
        get => resume;
        init => resume = value is not null && value.FitsOn(chain) ? value : null;
    }

    /// <summary>Heights taken from <see cref="Resume"/> instead of fetched again (0 when none).</summary>
    public long Resumed => resumedEnd < 0 ? 0 : resumedEnd - ForkHeight;

    public void Start(DateTimeOffset now)
    {
        var ours = resume?.End ?? chain.Count;
        if (ours == 0)
        {
            BeginFetch(0, now);
            return;
        }

        mismatchAt = Math.Min(ours, Target.Height);
        Probe(mismatchAt - 1, now);
    }

    /// <summary>The hash at <paramref name="height"/> of the chain we compare against: ours, or ours topped by the saved branch.</summary>
    private string? OurHashAt(long height) =>
        resume is { } r && height >= r.ForkHeight
            ? (height < r.End ? r.Blocks[(int)(height - r.ForkHeight)].Hash : null)
            : chain[height]?.Hash;

    private void Probe(long height, DateTimeOffset now)
    {
        if (PickPeer(now, null) is { } peer)
        {
            Send(peer, height, 1, now);
        }
        else
        {
            retries.Enqueue((height, null));
        }
    }

    private void OnProbe(Block block, DownloadPeer? servedBy, DateTimeOffset now)
    {
        var h = block.Height;
        if (OurHashAt(h) == block.Hash)
        {
            matchBelow = h;
            galloping = false;
        }
        else
        {
            mismatchAt = h;
            if (BlockValidator.CheckStructure(block, h).IsValid)
            {
                buffer[h] = (block, servedBy);
            }
        }

        if (mismatchAt == 0 || mismatchAt - matchBelow <= 1)
        {
            BeginFetch(matchBelow + 1, now);
            return;
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

        Probe(nextProbe, now);
    }

    /// <summary>Fetches from <paramref name="fork"/>, the first height where the claimed chain differs from the one compared against.</summary>
    private void BeginFetch(long fork, DateTimeOffset now)
    {
        Phase = DownloadPhase.Fetch;
        next = fork;
        cursor = fork;
        end = Target.Height;
        if (resume is { } r && fork > r.ForkHeight)
        {
            // The claimed chain holds the saved branch up to fork - 1: those blocks are verified already.
            var kept = (int)(fork - r.ForkHeight);
            ForkHeight = r.ForkHeight;
            pendingCommit.AddRange(r.Blocks.Take(kept));
            pendingServers.AddRange(Enumerable.Repeat<DownloadPeer?>(null, kept));
            resumedEnd = fork;
            previousHash = pendingCommit[^1].Hash;
        }
        else
        {
            ForkHeight = fork;
            previousHash = fork == 0 ? null : chain[fork - 1]!.Hash;
        }

        BranchStart = ForkHeight;
        resume = null;
        foreach (var stale in buffer.Keys.Where(k => k < fork).ToList())
        {
            buffer.Remove(stale);
        }

        retries.Clear();
        lastProgress = now;
        Advance(now);
        Pump(now);
    }
}
