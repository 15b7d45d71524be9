namespace Aviary.Node;

/// <summary>
/// How full each bounded table of a node is at one moment, beside its cap: what the flood tests
/// assert and <c>aviary bench flood</c> prints. Every table that peers can add to is here.
/// </summary>
public sealed record TableSizes(
    int Peers,
    int SeenIds,
    int GossipReplyLimit,
    int RateSources,
    int UnprovenAddresses,
    int ProvenAddresses,
    int BadClaims,
    int Misbehaving,
    int ConsensusClaims,
    int PendingAnnounces,
    int PendingEvents,
    int DownloadBuffered,
    int DownloadInFlight)
{
    /// <summary>Unproven addresses with response rate buckets (cap <see cref="Limits.ResponseRateLimiter.MaxAddresses"/>).</summary>
    public int ResponseAddresses { get; init; }

    /// <summary>Unproven prefixes with response rate buckets (cap <see cref="Limits.ResponseRateLimiter.MaxPrefixes"/>).</summary>
    public int ResponsePrefixes { get; init; }

    /// <summary>Peers whose answered heights the reply pacer watches (cap <see cref="Limits.ReplyPacer.MaxPeers"/>).</summary>
    public int PacedPeers { get; init; }
}
