using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>
/// Downloads one claimed chain (sans I/O): finds the fork point with few GET_BLOCKs, then fetches the
/// heights above it in parallel from every peer behind the claim, within a bounded window ahead of the
/// verified tip, verifying each block against its predecessor as it arrives in order. Replies are
/// matched by content (height and hash linkage), never by source port.
/// </summary>
/// <remarks>
/// A facade over the parts that each own one role: <see cref="ForkSearch"/> (which heights to probe),
/// <see cref="HeightRequests"/> (what is in flight, retries, timeouts), an <see cref="IPeerPicker"/>
/// (which peer is asked, among the <see cref="DownloadPeerSet"/>), <see cref="BranchVerifier"/> (buffer, ordered verification, commit batches),
/// <see cref="DownloadBlame"/> (who is at fault; its <see cref="PeerVerdicts"/> are for the caller's
/// reputation store) and <see cref="DownloadProgress"/> (when to give up). This type routes the events
/// between them and decides the phase.
/// </remarks>
public sealed partial class BlockDownload
{
    private readonly LocalChain chain;
    private readonly SyncLimits limits;
    private readonly DownloadPeerSet peers;
    private readonly ForkSearch search;
    private readonly HeightRequests requests;
    private readonly BranchVerifier verifier;
    private readonly DownloadBlame blame;
    private readonly DownloadProgress progress;

    /// <param name="claimers">Peers whose STATS claimed <paramref name="target"/>: failing to serve it is a lie.</param>
    /// <param name="helpers">Other peers that may hold it (after an ANNOUNCE): not having it is no fault.</param>
    public BlockDownload(ChainClaim target, IEnumerable<PeerAddress> claimers, IEnumerable<PeerAddress> helpers, LocalChain chain, SyncLimits limits, DateTimeOffset now, Action<PeerAddress, long> request)
    {
        Target = target;
        this.chain = chain;
        this.limits = limits;
        peers = new DownloadPeerSet(claimers, helpers, limits);
        search = new ForkSearch(chain, target.Height);
        requests = new HeightRequests(request);
        verifier = new BranchVerifier(chain, limits, target, now);
        blame = new DownloadBlame(target, peers, requests, verifier, () => Phase == DownloadPhase.ForkSearch, Fail);
        progress = new DownloadProgress(limits, now);
        StartedAt = now;
        StartHeight = chain.Count;
    }

    public ChainClaim Target { get; }

    /// <summary>The first block served that met every rule but our difficulty, if any (for a hint to the user).</summary>
    public DifficultyShortfall? DifficultyShortfall { get; private set; }

    /// <summary>
    /// True when the target came from an ANNOUNCE, not from STATS we asked for: its source may be
    /// forged, so an announcer without the blocks is not taken for a liar (invalid blocks still are).
    /// </summary>
    public bool Announced { get; init; }

    /// <summary>Which peer is asked for each height (the one with the most room by default).</summary>
    public IPeerPicker Picker { get; init; } = MostRoomPeerPicker.Instance;

    /// <summary>Verified blocks of an earlier, stalled attempt to resume from (ignored unless it still fits our chain).</summary>
    public SavedBranch? Resume
    {
        get => search.Resume;
        init => search.Resume = value;
    }

    /// <summary>Heights taken from <see cref="Resume"/> instead of fetched again (0 when none).</summary>
    public long Resumed => verifier.ResumedEnd < 0 ? 0 : verifier.ResumedEnd - ForkHeight;

    public DownloadPhase Phase { get; private set; } = DownloadPhase.ForkSearch;

    public bool Finished => Phase is DownloadPhase.Complete or DownloadPhase.Failed;

    /// <summary>Where the claimed chain leaves ours (the number of blocks we share); valid once fetching.</summary>
    public long ForkHeight => verifier.ForkHeight;

    /// <summary>Heights verified so far (the next height to verify).</summary>
    public long VerifiedHeight => Phase == DownloadPhase.ForkSearch ? StartHeight : verifier.Next;

    public long StartHeight { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Why the download failed, for logs.</summary>
    public string? Failure { get; private set; }

    /// <summary>True when it failed for want of progress (its peers went quiet), not for what they served or lacked.</summary>
    public bool StalledOut { get; private set; }

    /// <summary>True when the failure proves the claim itself invalid (not merely unavailable).</summary>
    public bool ProvenInvalid { get; private set; }

    /// <summary>Verified blocks not yet handed over (the whole branch for a reorg, a batch for an extension).</summary>
    public IReadOnlyList<Block> Branch => verifier.Branch;

    /// <summary>Height of the first block in <see cref="Branch"/>.</summary>
    public long BranchStart => verifier.BranchStart;

    /// <summary>Peers that served invalid blocks or lied about their chain.</summary>
    public IEnumerable<PeerAddress> Misbehaving => blame.Verdicts.Misbehaving;

    /// <summary>Every verdict on this download's peers, in order (misbehaved, or only left out).</summary>
    public IReadOnlyList<PeerVerdict> Verdicts => blame.Verdicts.All;

    /// <summary>The last peer penalty, for logs.</summary>
    public string? LastPenalty => blame.Verdicts.LastPenalty;

    /// <summary>Raised when a peer leaves the download for a fault (address, reason), for logs.</summary>
    public event Action<PeerAddress, string>? PeerLeft
    {
        add => blame.PeerLeft += value;
        remove => blame.PeerLeft -= value;
    }

    public IReadOnlyList<DownloadPeer> Peers => peers;

    public int InFlightCount => requests.Count;

    /// <summary>Blocks received ahead of the verified tip, waiting for their predecessors (at most <see cref="SyncLimits.Window"/>).</summary>
    public int BufferedCount => verifier.BufferedCount;

    /// <summary>Wanted, well-formed blocks delivered (fork-search replies included): what a slow peer still achieves.</summary>
    public long Delivered => progress.Delivered;

    /// <summary>Blocks requested more than once.</summary>
    public long Retransmissions => requests.Retransmissions;

    /// <summary>GET_BLOCKs sent.</summary>
    public long Requests => requests.Requests;

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
        if (!Finished && verifier.Offer(block, Phase == DownloadPhase.Fetch) && Phase == DownloadPhase.Fetch && block.Height == verifier.Next)
        {
            Advance(now);
            Pump(now);
        }
    }

    /// <summary>Hands over verified blocks that extend our tip, for committing as the download goes.</summary>
    public IReadOnlyList<Block> TakeCommittable() =>
        // A failed download hands over what it verified too: those blocks extend our tip, whatever became of the rest.
        ExtendsOurTip && verifier.BatchReady(Finished) ? verifier.TakeBatch() : [];

    /// <summary>The address of the download peer a datagram from <paramref name="from"/> comes from, if any.</summary>
    public PeerAddress? SourceOf(PeerAddress from) => peers.Source(from)?.Address;

    /// <summary>
    /// The invariants of the download's parts, for tests: the request tracker's (see
    /// <see cref="HeightRequests.Check"/>), nothing verified left in the buffer, and nothing in flight once
    /// finished. Empty when all hold.
    /// </summary>
    public IReadOnlyList<string> SelfCheck()
    {
        if (Finished)
        {
            return requests.Count == 0 ? [] : [$"{requests.Count} requests in flight after the download {Phase}"];
        }

        var problems = requests.Check(peers, Target.Height, Phase == DownloadPhase.Fetch ? verifier.HeldFromPeer : null).ToList();
        problems.AddRange(verifier.Check(Phase == DownloadPhase.Fetch));
        return problems;
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
        requests.ClearInFlight();
        verifier.ClearBuffer();
        requests.ClearRetries();
    }
}
