using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>Where a download stands.</summary>
public enum DownloadPhase
{
    /// <summary>Comparing hashes at our heights to find where the claimed chain leaves ours.</summary>
    ForkSearch,

    /// <summary>Fetching and verifying the heights above the fork point.</summary>
    Fetch,

    /// <summary>Verified up to the claimed top hash.</summary>
    Complete,

    /// <summary>Given up: the claim proved invalid, or no peer would serve it.</summary>
    Failed,
}

/// <summary>
/// Downloads one claimed chain (sans I/O): finds the fork point with few GET_BLOCKs, then fetches the
/// heights above it in parallel from every peer behind the claim, within a bounded window ahead of the
/// verified tip, verifying each block against its predecessor as it arrives in order. Replies are
/// matched by content (height and hash linkage), never by source port.
/// </summary>
public sealed partial class BlockDownload
{
    private readonly LocalChain chain;
    private readonly SyncLimits limits;
    private readonly Action<PeerAddress, long> request;
    private readonly List<DownloadPeer> peers;
    private readonly Dictionary<PeerAddress, DownloadPeer> byAddress = [];
    private readonly Dictionary<long, (Block Block, DownloadPeer? Peer)> buffer = [];
    private readonly Dictionary<long, InFlightRequest> inFlight = [];
    private readonly Queue<(long Height, DownloadPeer? Avoid)> retries = new();
    private readonly List<Block> pendingCommit = [];
    private readonly List<DownloadPeer?> pendingServers = [];
    private (long Height, int Count) unlinkedAt;

    private long next;
    private long end;
    private long cursor;
    private string? previousHash;
    private bool extended;
    private DateTimeOffset lastProgress;
    private DateTimeOffset lastDelivery;

    /// <param name="claimers">Peers whose STATS claimed <paramref name="target"/>: failing to serve it is a lie.</param>
    /// <param name="helpers">Other peers that may hold it (after an ANNOUNCE): not having it is no fault.</param>
    public BlockDownload(ChainClaim target, IEnumerable<PeerAddress> claimers, IEnumerable<PeerAddress> helpers, LocalChain chain, SyncLimits limits, DateTimeOffset now, Action<PeerAddress, long> request)
    {
        Target = target;
        this.chain = chain;
        this.limits = limits;
        this.request = request;
        var claiming = claimers.ToHashSet();
        peers = [.. claiming.Concat(helpers.Where(h => !claiming.Contains(h)).Distinct()).Select(a => new DownloadPeer(a, limits) { Claimed = claiming.Contains(a) })];
        foreach (var p in peers)
        {
            byAddress[p.Address] = p;
        }

        StartedAt = now;
        lastProgress = now;
        lastDelivery = now;
        StartHeight = chain.Count;
    }

    public ChainClaim Target { get; }

    /// <summary>
    /// True when the target came from an ANNOUNCE, not from STATS we asked for: its source may be
    /// forged, so an announcer without the blocks is not taken for a liar (invalid blocks still are).
    /// </summary>
    public bool Announced { get; init; }

    public DownloadPhase Phase { get; private set; } = DownloadPhase.ForkSearch;

    /// <summary>Where the claimed chain leaves ours (the number of blocks we share); valid once fetching.</summary>
    public long ForkHeight { get; private set; }

    /// <summary>Heights verified so far (the next height to verify).</summary>
    public long VerifiedHeight => Phase == DownloadPhase.ForkSearch ? StartHeight : next;

    public long StartHeight { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Why the download failed, for logs.</summary>
    public string? Failure { get; private set; }

    /// <summary>True when it failed for want of progress (its peers went quiet), not for what they served or lacked.</summary>
    public bool StalledOut { get; private set; }

    /// <summary>True when the failure proves the claim itself invalid (not merely unavailable).</summary>
    public bool ProvenInvalid { get; private set; }

    /// <summary>Verified blocks not yet handed over (the whole branch for a reorg, a batch for an extension).</summary>
    public IReadOnlyList<Block> Branch => pendingCommit;

    /// <summary>Height of the first block in <see cref="Branch"/>.</summary>
    public long BranchStart { get; private set; }

    /// <summary>Peers that served invalid blocks or lied about their chain.</summary>
    public IEnumerable<PeerAddress> Misbehaving => misbehaved;

    public IReadOnlyList<DownloadPeer> Peers => peers;

    public int InFlightCount => inFlight.Count;

    /// <summary>Blocks received ahead of the verified tip, waiting for their predecessors (at most <see cref="SyncLimits.Window"/>).</summary>
    public int BufferedCount => buffer.Count;

    /// <summary>Wanted, well-formed blocks delivered (fork-search replies included): what a slow peer still achieves.</summary>
    public long Delivered { get; private set; }

    /// <summary>Blocks requested more than once.</summary>
    public long Retransmissions { get; private set; }

    /// <summary>GET_BLOCKs sent.</summary>
    public long Requests { get; private set; }

    private readonly HashSet<PeerAddress> misbehaved = [];

    /// <summary>True while the download extends our own tip (fork at our top): verified blocks can be committed as they come.</summary>
    public bool ExtendsOurTip => Phase != DownloadPhase.ForkSearch && ForkHeight == StartHeight;

    /// <summary>
    /// An announced block we already hold: kept for its height so it need not be fetched. Only within
    /// the download window (and never past <see cref="SyncLimits.Window"/> buffered blocks), so a stream
    /// of ANNOUNCEs at scattered heights cannot grow the buffer. When it is the next height to verify,
    /// verification moves on at once (a download must not stall on a block it already holds).
    /// </summary>
    public void Offer(Block block, DateTimeOffset now)
    {
        var from = Phase == DownloadPhase.Fetch ? next : 0;
        var window = Phase == DownloadPhase.Fetch ? next + limits.Window : long.MaxValue;
        if (!Finished && block.Height >= from && block.Height <= Target.Height && block.Height < window
            && buffer.Count < limits.Window && !buffer.ContainsKey(block.Height)
            && BlockValidator.CheckStructure(block, block.Height).IsValid && BlockValidator.MeetsDifficulty(block.Hash, chain.Difficulty))
        {
            buffer[block.Height] = (block, null);
            if (Phase == DownloadPhase.Fetch && block.Height == next)
            {
                Advance(now);
                Pump(now);
            }
        }
    }

    private void Fail(string why, bool provenInvalid)
    {
        if (Phase is DownloadPhase.Complete or DownloadPhase.Failed)
        {
            return;
        }

        Phase = DownloadPhase.Failed;
        Failure = why;
        ProvenInvalid = provenInvalid;
        inFlight.Clear();
        buffer.Clear();
        retries.Clear();
    }

    private DownloadPeer? Find(PeerAddress address) => byAddress.GetValueOrDefault(address);

    private readonly record struct InFlightRequest(DownloadPeer Peer, DateTimeOffset SentAt, int Attempts);
}
