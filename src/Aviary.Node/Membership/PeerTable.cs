namespace Aviary.Node.Membership;

/// <summary>What callers outside the core may read of its peer table.</summary>
public interface IPeerView
{
    int Count { get; }

    IEnumerable<Peer> All { get; }

    /// <summary>Peers pushed out by newcomers while the table was full.</summary>
    long Evictions { get; }

    Peer? Find(PeerAddress address);
}

/// <summary>The peers we track, bounded. Peers silent past the timeout are dropped by <see cref="Expire"/>.</summary>
public sealed class PeerTable : IPeerView
{
    /// <summary>
    /// Most peers tracked. A course network has tens of peers; the cap keeps a flood of forged
    /// GOSSIPs from growing the table (and our keep-alive traffic) without bound.
    /// </summary>
    public const int MaxPeers = 256;

    private readonly Dictionary<PeerAddress, Peer> peers = [];

    public int Count => peers.Count;

    public IEnumerable<Peer> All => peers.Values;

    public Peer? Find(PeerAddress address) => peers.GetValueOrDefault(address);

    /// <summary>Peers pushed out by newcomers while the table was full.</summary>
    public long Evictions { get; private set; }

    /// <summary>
    /// Adds or refreshes a peer. When the table is full, a newcomer takes the place of the least recently
    /// heard peer that has not proven itself (<see cref="Peer.TrustedUntil"/>), so forged GOSSIPs can
    /// churn only among themselves and never lock proven peers out; null when every peer is proven.
    /// </summary>
    public Peer? Touch(PeerAddress address, string? name, DateTimeOffset now, out bool added)
    {
        added = false;
        if (peers.TryGetValue(address, out var peer))
        {
            peer.LastHeard = now;
            if (!string.IsNullOrEmpty(name))
            {
                peer.Name = name;
            }

            return peer;
        }

        if (peers.Count >= MaxPeers)
        {
            Peer? victim = null;
            foreach (var p in peers.Values)
            {
                if (p.TrustedUntil <= now && (victim is null || p.LastHeard < victim.LastHeard))
                {
                    victim = p;
                }
            }

            if (victim is null)
            {
                return null;
            }

            peers.Remove(victim.Address);
            Evictions++;
        }

        peer = new Peer(address, name ?? string.Empty, now);
        peers.Add(address, peer);
        added = true;
        return peer;
    }

    /// <summary>Refreshes a known peer's liveness (any message from it counts as life).</summary>
    public void Heard(PeerAddress address, DateTimeOffset now)
    {
        if (peers.TryGetValue(address, out var peer))
        {
            peer.LastHeard = now;
        }
    }

    /// <summary>Removes peers silent for longer than <paramref name="timeout"/>; returns them.</summary>
    public List<Peer> Expire(DateTimeOffset now, TimeSpan timeout)
    {
        var dropped = new List<Peer>();
        foreach (var peer in peers.Values)
        {
            if (now - peer.LastHeard > timeout)
            {
                dropped.Add(peer);
            }
        }

        foreach (var peer in dropped)
        {
            peers.Remove(peer.Address);
        }

        return dropped;
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct peers chosen uniformly at random, skipping
    /// <paramref name="except"/>: one pass over the table (reservoir sampling), no shuffle, no copy.
    /// </summary>
    public List<Peer> Sample(int count, Random random, Func<Peer, bool>? except = null)
    {
        var chosen = new List<Peer>(count);
        var eligible = 0;
        foreach (var peer in peers.Values)
        {
            if (except is not null && except(peer))
            {
                continue;
            }

            eligible++;
            if (chosen.Count < count)
            {
                chosen.Add(peer);
            }
            else if (random.Next(eligible) is var j && j < count)
            {
                chosen[j] = peer;
            }
        }

        return chosen;
    }
}
