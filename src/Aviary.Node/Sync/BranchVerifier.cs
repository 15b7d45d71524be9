using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>What <see cref="BranchVerifier.Advance"/> came to.</summary>
public enum Verification
{
    /// <summary>Verified as far as the buffer allows; more blocks are needed.</summary>
    Waiting,

    /// <summary>The next block does not validate on the verified tip (<see cref="BranchVerifier.Rejected"/>); it was dropped.</summary>
    Unlinked,

    /// <summary>Verified up to the claimed top hash.</summary>
    Complete,

    /// <summary>Verified to the claimed height, but the top is not the claimed hash: the claim is invalid.</summary>
    WrongTop,
}

/// <summary>
/// The branch verifier of a download (sans I/O): blocks buffered ahead of the verified tip, verified
/// in height order against their predecessor, and the verified branch handed over in commit batches.
/// It blames nobody: an unlinked block is reported (<see cref="Verification.Unlinked"/>) with whoever
/// served it, and the download decides.
/// </summary>
public sealed partial class BranchVerifier(LocalChain chain, SyncLimits limits, ChainClaim target, DateTimeOffset now) : IHeightWindow
{
    private readonly Dictionary<long, (Block Block, DownloadPeer? Peer)> buffer = [];
    private readonly List<Block> pendingCommit = [];
    private readonly List<DownloadPeer?> pendingServers = [];
    private long end;
    private string? previousHash;
    private bool extended;

    /// <summary>The next height to verify.</summary>
    public long Next { get; private set; }

    /// <summary>Heights below this are fetched (the claimed height, one more for a peer that reports its top index).</summary>
    public long End => end;

    /// <summary>Where the branch leaves our chain; valid once fetching.</summary>
    public long ForkHeight { get; private set; }

    /// <summary>Height of the first block in <see cref="Branch"/>.</summary>
    public long BranchStart { get; private set; }

    /// <summary>Heights below this came from a saved branch a claimer confirmed by hash (-1 when none): as sure as our own chain.</summary>
    public long ResumedEnd { get; private set; } = -1;

    /// <summary>Verified blocks not yet handed over.</summary>
    public IReadOnlyList<Block> Branch => pendingCommit;

    /// <summary>Blocks held ahead of the verified tip.</summary>
    public int BufferedCount => buffer.Count;

    /// <summary>The hash of the verified tip (null below height 0).</summary>
    public string? TipHash => previousHash;

    /// <summary>The peer that served the verified tip, when it came from this download.</summary>
    public DownloadPeer? TipServer => pendingServers.Count > 0 ? pendingServers[^1] : null;

    /// <summary>When the verified tip last moved (or fetching began).</summary>
    public DateTimeOffset LastProgress { get; private set; } = now;

    /// <summary>The block the last <see cref="Verification.Unlinked"/> dropped, who served it, and why it failed.</summary>
    public (Block Block, DownloadPeer? Peer, BlockVerdict Verdict) Rejected { get; private set; }

    public long Limit => Math.Min(end, Next + limits.Window);

    public bool Holds(long height) => buffer.ContainsKey(height);

    public bool Wants(long height) => height >= Next && height < end && !buffer.ContainsKey(height);

    /// <summary>True when a block for <paramref name="height"/> would be taken now (wanted and within the window).</summary>
    public bool Awaits(long height) => height >= Next && height < end && height < Next + limits.Window && !buffer.ContainsKey(height);

    /// <summary>True when the block at <paramref name="height"/> sits on a tip we did not take from this download's peers.</summary>
    public bool TipIsOurs(long height) => pendingCommit.Count == 0 || height == ForkHeight || height <= ResumedEnd;

    /// <summary>Holds a block (for its height) until its predecessors are verified.</summary>
    public void Hold(long height, Block block, DownloadPeer? peer) => buffer[height] = (block, peer);

    /// <summary>
    /// Holds an offered block (one we already have, from an ANNOUNCE) if it is in the window — from 0
    /// while the fork search runs — and the buffer has room. True when it was taken.
    /// </summary>
    public bool Offer(Block block, bool fetching)
    {
        var from = fetching ? Next : 0;
        var window = fetching ? Next + limits.Window : long.MaxValue;
        if (block.Height >= from && block.Height <= target.Height && block.Height < window
            && buffer.Count < limits.Window && !buffer.ContainsKey(block.Height)
            && BlockValidator.CheckStructure(block, block.Height).IsValid && BlockValidator.MeetsDifficulty(block.Hash, chain.Difficulty))
        {
            buffer[block.Height] = (block, null);
            return true;
        }

        return false;
    }

    /// <summary>Drops every buffered block (the download failed).</summary>
    public void ClearBuffer() => buffer.Clear();

    /// <summary>True when the block held for <paramref name="height"/> came from a download peer (not offered).</summary>
    public bool HeldFromPeer(long height) => buffer.TryGetValue(height, out var entry) && entry.Peer is not null;

    /// <summary>
    /// The verifier's invariants, for tests: the branch and its servers line up, and (once
    /// <paramref name="fetching"/>) nothing below the next height to verify is still buffered and the
    /// verified height stays within the fetched range. Empty when all hold.
    /// </summary>
    public IReadOnlyList<string> Check(bool fetching)
    {
        var problems = new List<string>();
        if (pendingCommit.Count != pendingServers.Count)
        {
            problems.Add($"{pendingCommit.Count} verified blocks but {pendingServers.Count} servers");
        }

        if (fetching)
        {
            problems.AddRange(buffer.Keys.Where(h => h < Next).Select(h => $"height {h} buffered below the next to verify ({Next})"));
            if (Next < ForkHeight || Next > end)
            {
                problems.Add($"next height {Next} outside {ForkHeight}..{end}");
            }

            if (BranchStart + pendingCommit.Count != Next)
            {
                problems.Add($"branch from {BranchStart} with {pendingCommit.Count} blocks does not end at {Next}");
            }
        }

        return problems;
    }
}
