using Aviary.Chain;
using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>
/// Chain sync: the candidates a consensus round found, claims proven bad or that nobody would serve,
/// ANNOUNCEd blocks, and the one running download (ChainSync.Download.cs).
/// </summary>
public sealed partial class ChainSync
{
    /// <summary>Claims proven invalid, remembered so a liar cannot make us fetch the same lie again.</summary>
    public const int MaxBadClaims = 1024;

    /// <summary>ANNOUNCEs that arrive during a sync and wait for it to end.</summary>
    public const int MaxPendingAnnounces = 32;

    private static readonly TimeSpan BadClaimLifetime = TimeSpan.FromHours(1);

    /// <summary>How often the hint about peers of another difficulty is logged at most.</summary>
    private static readonly TimeSpan DifficultyHintInterval = TimeSpan.FromMinutes(1);

    private readonly INodeContext node;
    private readonly GossipMembership membership;
    private readonly AddressProof proof;
    private readonly PeerReputation reputation;
    private readonly Func<string, bool> startConsensus;
    private readonly List<(PeerAddress From, Block Block)> pendingAnnounces = [];
    private readonly ExpiringSet<ChainClaim> badClaims = new(MaxBadClaims, BadClaimLifetime);

    /// <summary>Claims no peer would serve: a silent one skipped for a while, a slow one retried soon with back-off.</summary>
    private readonly UnavailableClaims unavailable = new(MaxBadClaims);
    private List<(ChainClaim Claim, List<PeerAddress> Peers)> candidates = [];
    private DateTimeOffset difficultyHintAt = DateTimeOffset.MinValue;

    internal ChainSync(INodeContext node, GossipMembership membership, AddressProof proof, PeerReputation reputation, Func<string, bool> startConsensus)
    {
        this.node = node;
        this.membership = membership;
        this.proof = proof;
        this.reputation = reputation;
        this.startConsensus = startConsensus;
    }

    /// <summary>ANNOUNCEs for heights we already have.</summary>
    public long StaleAnnounces { get; private set; }

    /// <summary>Claims proven invalid remembered now.</summary>
    public int BadClaimCount => badClaims.Count;

    /// <summary>ANNOUNCEs waiting for the running sync to end.</summary>
    public int PendingAnnounceCount => pendingAnnounces.Count;

    public bool IsBadClaim(ChainClaim claim) => badClaims.Contains(claim, node.Now);

    /// <summary>
    /// A block offered to us (an ANNOUNCE, or one we mined): appended if it extends our tip, fetched
    /// toward if it is ahead, kept for later if a sync is running.
    /// </summary>
    public BlockVerdict OfferBlock(PeerAddress from, Block block)
    {
        if (Download is { } running)
        {
            running.Offer(block, node.Now);
            if (pendingAnnounces.Count >= MaxPendingAnnounces)
            {
                pendingAnnounces.RemoveAt(0);
            }

            pendingAnnounces.Add((from, block));
            AfterDownloadStep();
            return BlockVerdict.Ok;
        }

        var chain = node.Chain;
        if (block.Height < chain.Count)
        {
            StaleAnnounces++;
            return new(BlockRule.HeightMismatch, $"height {block.Height} is below our {chain.Count} blocks");
        }

        var shape = BlockValidator.CheckStructure(block, block.Height);
        if (block.Height == chain.Count)
        {
            var verdict = chain.TryAppend(block);
            if (verdict.IsValid)
            {
                return verdict;
            }

            if (verdict.Rule != BlockRule.HashMismatch || block.Height == 0 || !shape.IsValid || !BlockValidator.MeetsDifficulty(block.Hash, chain.Difficulty))
            {
                node.Counters.InvalidBlocks++;
                node.Logger.LogDebug("block {Height} from {From} rejected: {Verdict}", block.Height, from, verdict);
                return verdict;
            }

            // Well formed and worked, but not on our tip: the top of a branch one block longer than
            // ours (two miners found a block at the same height), or a forgery. Fetched toward like a
            // block ahead: the fork search finds out which, at the cost of a few requests.
            node.Logger.LogDebug("block {Height} from {From} does not extend our tip: checking its branch", block.Height, from);
        }

        if (!shape.IsValid || !BlockValidator.MeetsDifficulty(block.Hash, chain.Difficulty))
        {
            node.Counters.InvalidBlocks++;
            return shape.IsValid ? new(BlockRule.InsufficientWork, "hash fails the difficulty") : shape;
        }

        var claim = new ChainClaim(block.Height + 1, block.Hash);
        if (badClaims.Contains(claim, node.Now) || reputation.IsMisbehaving(from, node.Now))
        {
            return new(BlockRule.HashMismatch, "a chain already proven invalid");
        }

        if (unavailable.Contains(claim, node.Now))
        {
            return new(BlockRule.HashMismatch, "a chain nobody would serve a moment ago");
        }

        // Ahead of us: fetch the gap from the announcer, helped by every other peer that has proven it
        // receives (an unproven one could not be sent enough requests to help).
        var now = node.Now;
        BeginDownload(claim, [from], membership.Peers.All.Select(p => p.Address).Where(p => p != from && proof.IsProven(p) && !reputation.IsMisbehaving(p, now)), block);
        return BlockVerdict.Ok;
    }

    internal void OnAnnounce(PeerAddress from, Block block)
    {
        var sender = ListeningAddress(from);
        OfferBlock(sender, block);
        NoteAnnouncedClaim(sender, block);
    }

    /// <summary>
    /// A tracked peer that ANNOUNCEs a block our chain now holds (same height, same hash) has a chain at
    /// least that long: its claim follows at once, as if it had answered STATS, so status pages see a
    /// mining peer's height without waiting for the next refresh. Never lowers a claim; a block we do not
    /// hold (unverified, or a fork still to fetch) changes nothing.
    /// </summary>
    private void NoteAnnouncedClaim(PeerAddress sender, Block block)
    {
        if (membership.Peers.Find(sender) is { } peer
            && node.Chain[block.Height] is { } ours && ours.Hash == block.Hash
            && (peer.Height is not { } claimed || block.Height + 1 > claimed))
        {
            peer.Height = block.Height + 1;
            peer.TopHash = block.Hash;
            peer.StatsAt = node.Now;
        }
    }

    /// <summary>
    /// Takes a finished round's claims as the candidates to fetch, best first: those ahead of us, not
    /// proven bad nor unserved a moment ago, with the claimers that are not misbehaving. Returns how many.
    /// </summary>
    internal int Consider(ConsensusTally tally, DateTimeOffset now)
    {
        candidates = [.. tally.Ranked(c => c.Height <= node.Chain.Count || badClaims.Contains(c, now) || unavailable.Contains(c, now))
            .Select(c => (c.Claim, Peers: c.Peers.Where(p => !reputation.IsMisbehaving(p, now)).ToList()))
            .Where(c => c.Peers.Count > 0)];
        return candidates.Count;
    }

    internal void TryNextCandidate()
    {
        if (candidates.Count == 0)
        {
            ProcessPendingAnnounces();
            return;
        }

        var (claim, claimers) = candidates[0];
        candidates.RemoveAt(0);
        BeginDownload(claim, claimers, []);
    }

    /// <summary>
    /// Where the sender of a datagram listens: its own address if we track it, else the only tracked
    /// peer on the same host (real peers send from another socket, protocol.md §11), else its own.
    /// </summary>
    private PeerAddress ListeningAddress(PeerAddress from) =>
        membership.Peers.Find(from) is null && PeerAddress.TryOnlyOnHost(from.Host, membership.Peers.All, p => p.Address, out var only) ? only.Address : from;

    private void ProcessPendingAnnounces()
    {
        var pending = pendingAnnounces.OrderBy(b => b.Block.Height).ToList();
        pendingAnnounces.Clear();
        foreach (var (from, block) in pending)
        {
            if (Download is not null)
            {
                pendingAnnounces.Add((from, block));
                continue;
            }

            OfferBlock(from, block);
        }
    }
}
