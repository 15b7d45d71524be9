namespace Aviary.Node.Limits;

/// <summary>
/// Per-source budgets for what peers send us (a source is an IPv4 /24, an IPv6 /64, or one loopback
/// address and port: see <see cref="SourceKey"/>). Sized so honest peers on lossy links never hit
/// them: the budgets that matter are the ones for requests that make us send (STATS, GET_BLOCK,
/// GOSSIP), since those are what a flood uses us for. Everything past a budget is dropped silently
/// and counted.
/// </summary>
public sealed record RateLimits
{
    /// <summary>Limits off (benchmarks that measure raw serving speed from one socket).</summary>
    public static readonly RateLimits Unlimited = new()
    {
        Datagrams = Budget.Unlimited,
        Bytes = Budget.Unlimited,
        Stats = Budget.Unlimited,
        GetBlock = Budget.Unlimited,
        Gossip = Budget.Unlimited,
        Consensus = Budget.Unlimited,
        Chain = Budget.Unlimited,
    };

    /// <summary>
    /// Every datagram, checked before decoding. Above any honest mix: a source syncing from us at full
    /// speed sends at most <see cref="GetBlock"/> requests, and a source we sync from sends replies at
    /// the rate we ask (our download keeps at most 256 requests in flight per peer).
    /// </summary>
    public Budget Datagrams { get; init; } = new(100_000, 200_000);

    /// <summary>
    /// Bytes of every datagram, checked before decoding: parsing costs us per byte, and a datagram can
    /// be 64 KiB. Honest peers send ≤ 1 KiB datagrams; 100,000 block replies/s are ≈ 30 MB/s.
    /// </summary>
    public Budget Bytes { get; init; } = new(64 * 1024 * 1024, 128 * 1024 * 1024);

    /// <summary>
    /// STATS: each costs a reply ≈ 6× its size. An honest peer asks once per consensus round (every
    /// few minutes, or on joining); a lab full of peers behind one /24 still asks a few per second,
    /// and a status tool polling every 20 ms asks 50.
    /// </summary>
    public Budget Stats { get; init; } = new(100, 200);

    /// <summary>
    /// GET_BLOCK: each costs a reply ≈ 10× its size, but a peer syncing from us legitimately sends
    /// thousands per second, in bursts of a whole download window. Generous: a single syncing node on
    /// this kind of machine peaks near 100,000 requests/s in total, spread over its peers.
    /// </summary>
    public Budget GetBlock { get; init; } = new(50_000, 100_000);

    /// <summary>
    /// GOSSIP: each unseen one costs a GOSSIP_REPLY and up to 3 forwards. Honest traffic is one per
    /// peer per 30 s, plus what a relay forwards for the whole network: a thousand peers make 33 a
    /// second. The burst absorbs a relay flushing its queue.
    /// </summary>
    public Budget Gossip { get; init; } = new(50, 200);

    /// <summary>CONSENSUS: each may start a round that sends STATS to every tracked peer.</summary>
    public Budget Consensus { get; init; } = new(1, 5);

    /// <summary>ANNOUNCE and NEW_WORD: each costs a verification or a queued word; miners announce a few blocks a minute.</summary>
    public Budget Chain { get; init; } = new(100, 200);
}
