namespace Aviary.Node.Membership;

/// <summary>A tracked peer: where it listens, what it calls itself, when we last heard from it, what chain it claims.</summary>
public sealed class Peer(PeerAddress address, string name, DateTimeOffset now)
{
    public PeerAddress Address { get; } = address;

    public string Name { get; internal set; } = name;

    public DateTimeOffset FirstSeen { get; } = now;

    public DateTimeOffset LastHeard { get; internal set; } = now;

    /// <summary>Height (block count) from its last STATS_REPLY, if any.</summary>
    public long? Height { get; internal set; }

    /// <summary>Top hash from its last STATS_REPLY, if any.</summary>
    public string? TopHash { get; internal set; }

    /// <summary>When the last STATS_REPLY came.</summary>
    public DateTimeOffset? StatsAt { get; internal set; }

    /// <summary>
    /// Until when it counts as proven (it answered one of our requests, or it is a bootstrap peer): a
    /// copy of what the core's address guard knows, kept here so per-datagram choices need no lookup.
    /// </summary>
    public DateTimeOffset TrustedUntil { get; internal set; } = DateTimeOffset.MinValue;
}
