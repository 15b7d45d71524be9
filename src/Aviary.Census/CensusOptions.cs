using System.Net;

namespace Aviary.Census;

/// <summary>The census's settings: where it enters, how far and how fast it goes.</summary>
public sealed record CensusOptions
{
    /// <summary>The one peer the census joins through (the only address it contacts unasked).</summary>
    public required IPEndPoint Entry { get; init; }

    /// <summary>Address the census's sockets bind to: 127.0.0.1 for a loopback network.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Host named in our GOSSIP (where peers answer); defaults to <see cref="Bind"/>.</summary>
    public string? Advertise { get; init; }

    /// <summary>Most peers recorded; gossip naming more is counted, not followed.</summary>
    public int MaxPeers { get; init; } = 256;

    /// <summary>Peers graded at the same time.</summary>
    public int Parallel { get; init; } = 16;

    /// <summary>How long each reply is awaited.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on the whole census; what is not reached in time is reported as such.</summary>
    public TimeSpan TotalLimit { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Discovery ends once no new peer was heard of for this long (and <see cref="MinListen"/> has passed).</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Discovery listens at least this long (peers that only show up on their keep-alive GOSSIP).</summary>
    public TimeSpan MinListen { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// While it listens, the census sends the entry a fresh GOSSIP this often (at most
    /// <see cref="MaxGossipRounds"/> times): the entry forwards each to 3 of its peers at random, so
    /// repeated rounds reach the peers one round missed.
    /// </summary>
    public TimeSpan GossipEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most GOSSIP rounds sent to the entry (the first included).</summary>
    public int MaxGossipRounds { get; init; } = 10;

    /// <summary>Discovery listens at most this long.</summary>
    public TimeSpan MaxListen { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Most requests sent to one peer per second (each probe and query paced to it).</summary>
    public double RequestsPerSecond { get; init; } = 20;

    /// <summary>Most blocks of a peer's chain fetched and verified by its grade.</summary>
    public int MaxBlocks { get; init; } = 100;

    /// <summary>Also run the prober's ANNOUNCE check (it mines a block and offers it: the peer's chain grows).</summary>
    public bool Announce { get; init; }

    /// <summary>Name in our GOSSIP and GOSSIP_REPLY.</summary>
    public string Name { get; init; } = "aviary-census";

    /// <summary>Host to name in GOSSIP.</summary>
    public string AdvertisedHost => Advertise ?? Bind.ToString();
}
