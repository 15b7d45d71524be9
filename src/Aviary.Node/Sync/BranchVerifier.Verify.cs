using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>Beginning the branch, ordered verification, taking the tip back, and commit batches.</summary>
public sealed partial class BranchVerifier
{
    /// <summary>
    /// Fetching begins at <paramref name="fork"/>, the first height where the claimed chain differs from
    /// the one compared against. With <paramref name="resume"/>, the saved blocks below the fork are
    /// verified already: the branch starts with them.
    /// </summary>
    public void Begin(long fork, SavedBranch? resume, DateTimeOffset now)
    {
        Next = fork;
        end = target.Height;
        if (resume is { } r && fork > r.ForkHeight)
        {
            // The claimed chain holds the saved branch up to fork - 1: those blocks are verified already.
            var kept = (int)(fork - r.ForkHeight);
            ForkHeight = r.ForkHeight;
            pendingCommit.AddRange(r.Blocks.Take(kept));
            pendingServers.AddRange(Enumerable.Repeat<DownloadPeer?>(null, kept));
            ResumedEnd = fork;
            previousHash = pendingCommit[^1].Hash;
        }
        else
        {
            ForkHeight = fork;
            previousHash = fork == 0 ? null : chain[fork - 1]!.Hash;
        }

        BranchStart = ForkHeight;
        foreach (var stale in buffer.Keys.Where(k => k < fork).ToList())
        {
            buffer.Remove(stale);
        }

        LastProgress = now;
    }

    /// <summary>Verifies the buffered blocks in height order from <see cref="Next"/>, as far as they link.</summary>
    public Verification Advance(DateTimeOffset now)
    {
        while (true)
        {
            while (Next < end && buffer.Remove(Next, out var entry))
            {
                var verdict = BlockValidator.Validate(entry.Block, previousHash, Next, chain.Difficulty);
                if (!verdict.IsValid)
                {
                    Rejected = (entry.Block, entry.Peer, verdict);
                    return Verification.Unlinked;
                }

                pendingCommit.Add(entry.Block);
                pendingServers.Add(entry.Peer);
                previousHash = entry.Block.Hash;
                Next++;
                LastProgress = now;
            }

            if (Next < end)
            {
                return Verification.Waiting;
            }

            if (previousHash == target.Hash)
            {
                return Verification.Complete;
            }

            if (!extended && end == target.Height)
            {
                // A peer that reports its top index instead of its block count: one block more (protocol.md §3).
                extended = true;
                end++;
                continue;
            }

            return Verification.WrongTop;
        }
    }

    /// <summary>Takes the verified tip back (it does not lead to the claimed chain).</summary>
    /// <returns>Its height, now the next to verify again.</returns>
    public long TakeBackTip()
    {
        pendingCommit.RemoveAt(pendingCommit.Count - 1);
        pendingServers.RemoveAt(pendingServers.Count - 1);
        Next--;
        previousHash = pendingCommit.Count > 0 ? pendingCommit[^1].Hash : Next == 0 ? null : chain[Next - 1]?.Hash;
        return Next;
    }

    /// <summary>True when a commit batch is ready: <see cref="SyncLimits.CommitBatch"/> blocks, or any at all once <paramref name="finished"/>.</summary>
    public bool BatchReady(bool finished) => pendingCommit.Count >= limits.CommitBatch || finished;

    /// <summary>Hands over every verified block; the branch then starts above them.</summary>
    public IReadOnlyList<Block> TakeBatch()
    {
        var batch = pendingCommit.ToList();
        BranchStart += batch.Count;
        pendingCommit.Clear();
        pendingServers.Clear();
        return batch;
    }
}
