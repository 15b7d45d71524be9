using System.Collections;

namespace Aviary.Node.Sync;

/// <summary>
/// The peers one download asks, in a fixed order (claimers first, then helpers), and how a reply's
/// source maps to one of them: its exact address, else the only peer on that host (real peers reply
/// from another port), else nobody.
/// </summary>
public sealed class DownloadPeerSet : IReadOnlyList<DownloadPeer>
{
    private readonly List<DownloadPeer> peers;
    private readonly Dictionary<PeerAddress, DownloadPeer> byAddress = [];

    /// <param name="claimers">Peers whose STATS claimed the target: failing to serve it is a lie.</param>
    /// <param name="helpers">Other peers that may hold it (after an ANNOUNCE): not having it is no fault.</param>
    public DownloadPeerSet(IEnumerable<PeerAddress> claimers, IEnumerable<PeerAddress> helpers, SyncLimits limits)
    {
        var claiming = claimers.ToHashSet();
        peers = [.. claiming.Concat(helpers.Where(h => !claiming.Contains(h)).Distinct()).Select(a => new DownloadPeer(a, limits) { Claimed = claiming.Contains(a) })];
        foreach (var p in peers)
        {
            byAddress[p.Address] = p;
        }
    }

    public int Count => peers.Count;

    public DownloadPeer this[int index] => peers[index];

    /// <summary>The peer at exactly this address.</summary>
    public DownloadPeer? Find(PeerAddress address) => byAddress.GetValueOrDefault(address);

    /// <summary>The peer a datagram from <paramref name="from"/> comes from, if any.</summary>
    public DownloadPeer? Source(PeerAddress from) =>
        Find(from) ?? (PeerAddress.TryOnlyOnHost(from.Host, peers, p => p.Address, out var only) ? only : null);

    public IEnumerator<DownloadPeer> GetEnumerator() => peers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
