using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Sync;

/// <summary>
/// The STATS replies of one consensus round, one claim per replying address, and their ranking
/// (protocol.md §9): highest height first, ties broken by the most peers, claims whose hash fails
/// the difficulty ignored.
/// </summary>
public sealed class ConsensusTally
{
    /// <summary>Most replies counted in one round: a round only asks tracked peers (themselves capped).</summary>
    public const int MaxClaims = 512;

    private readonly Dictionary<PeerAddress, ChainClaim> claims = [];

    public int Count => claims.Count;

    public IReadOnlyDictionary<PeerAddress, ChainClaim> Claims => claims;

    /// <summary>The first claim this round whose hash met every rule but our difficulty (for a hint to the user).</summary>
    public DifficultyShortfall? Shortfall { get; private set; }

    /// <summary>Records what <paramref name="from"/> claims; false when the reply is no usable claim.</summary>
    public bool Add(PeerAddress from, StatsReply reply, int difficulty)
    {
        if (!reply.ClaimsChain)
        {
            return false;
        }

        if (!BlockValidator.MeetsDifficulty(reply.Hash, difficulty))
        {
            Shortfall ??= new DifficultyShortfall(from, reply.Height!.Value - 1, Hex.TrailingZeros(reply.Hash), difficulty);

            return false;
        }

        if (!claims.ContainsKey(from) && claims.Count >= MaxClaims)
        {
            return false;
        }

        claims[from] = new ChainClaim(reply.Height!.Value, reply.Hash!);
        return true;
    }

    public void Clear()
    {
        claims.Clear();
        Shortfall = null;
    }

    /// <summary>Claims ranked best first, each with the peers behind it, skipping those <paramref name="exclude"/> rejects.</summary>
    public List<(ChainClaim Claim, List<PeerAddress> Peers)> Ranked(Func<ChainClaim, bool> exclude) =>
        [.. claims
            .GroupBy(c => c.Value)
            .Where(g => !exclude(g.Key))
            .Select(g => (Claim: g.Key, Peers: g.Select(c => c.Key).OrderBy(p => p.ToString(), StringComparer.Ordinal).ToList()))
            .OrderByDescending(g => g.Claim.Height)
            .ThenByDescending(g => g.Peers.Count)
            .ThenBy(g => g.Claim.Hash, StringComparer.Ordinal)];
}
