namespace Aviary.Node.Membership;

/// <summary>The peers we track, bounded. Peers silent past the timeout are dropped by <see cref="Expire"/>.</summary>
public sealed class PeerTable
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

    /// <summary>Adds or refreshes a peer. Null when the table is full and the peer is new.</summary>
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
            return null;
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

    /// <summary>Up to <paramref name="count"/> distinct peers chosen at random, skipping <paramref name="except"/>.</summary>
    public List<Peer> Sample(int count, Random random, Func<Peer, bool>? except = null)
    {
        var pool = peers.Values.Where(p => except is null || !except(p)).ToArray();
        random.Shuffle(pool);
        return [.. pool.Take(count)];
    }
}
