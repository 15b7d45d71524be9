using Aviary.Node.Limits;

namespace Aviary.Node;

/// <summary>Everything a node is told at start. Defaults follow the course spec (protocol.md).</summary>
public sealed record NodeOptions
{
    /// <summary>Display name sent in GOSSIP and GOSSIP_REPLY, and <c>minedBy</c> of blocks we mine.</summary>
    public string Name { get; init; } = "Aviary";

    /// <summary>
    /// The host we advertise in GOSSIP and GOSSIP_REPLY (where peers should reply) when the transport
    /// cannot name the one a peer reaches us on (see <see cref="ITransport.LocalHostFor"/>).
    /// </summary>
    public string AdvertisedHost { get; init; } = "127.0.0.1";

    /// <summary>Our UDP port.</summary>
    public int Port { get; init; } = 8999;

    /// <summary>Stable identity: prefix of our gossip ids.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Peers to join through. None: we wait to be gossiped to, as a well-known host does.</summary>
    public IReadOnlyList<PeerAddress> Bootstrap { get; init; } = [];

    /// <summary>
    /// Addresses served without the no-amplification limit although they never proved they receive (a
    /// monitoring host, a test probe). Bootstrap peers are trusted too. Keep it short and exact.
    /// </summary>
    public IReadOnlyList<PeerAddress> Trusted { get; init; } = [];

    /// <summary>Trailing '0' hex characters a block hash needs on this network.</summary>
    public int Difficulty { get; init; } = 8;

    /// <summary>How often we re-gossip (spec: 30 s).</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A peer silent this long is dropped (spec: 60 s).</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a gossip id is remembered, so a loop of forwards dies out.</summary>
    public TimeSpan SeenIdLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a consensus re-runs on its own (protocol.md §9: "every few minutes").</summary>
    public TimeSpan ConsensusInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a consensus round waits for STATS replies (it ends sooner when every peer answered).</summary>
    public TimeSpan ConsensusWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often peers' claims (height @ hash) are refreshed with a STATS between consensus rounds; zero turns it off.</summary>
    public TimeSpan StatsRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the rejection summary is logged.</summary>
    public TimeSpan RejectionSummaryInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Per-source budgets for what peers send us (flood defence); see <see cref="Limits.RateLimits"/>.</summary>
    public RateLimits RateLimits { get; init; } = new();

    /// <summary>Response rate limits on what we send to unproven addresses (no amplification); see <see cref="Limits.ResponseLimits"/>.</summary>
    public ResponseLimits ResponseLimits { get; init; } = new();

    /// <summary>How GET_BLOCK_REPLYs are paced for peers whose sockets drop our bursts; see <see cref="Limits.ReplyPacer"/>.</summary>
    public PaceLimits Pacing { get; init; } = new();
}
