namespace Aviary.Node.Sync;

/// <summary>Chooses which download peer is asked for the next height.</summary>
public interface IPeerPicker
{
    /// <summary>
    /// The peer to ask now, or null when none has room. <paramref name="avoid"/> is the peer a retried
    /// height was last asked of (taken only when no other peer can). With <paramref name="claimersOnly"/>
    /// (the fork search), peers that did not claim the chain are never picked.
    /// </summary>
    DownloadPeer? Pick(IReadOnlyList<DownloadPeer> peers, DateTimeOffset now, DownloadPeer? avoid, bool claimersOnly);
}

/// <summary>
/// The peer with the most free room in its request window (the first such in list order), other than
/// the peer to avoid unless it is the only one that can take a request.
/// </summary>
public sealed class MostRoomPeerPicker : IPeerPicker
{
    public static MostRoomPeerPicker Instance { get; } = new();

    public DownloadPeer? Pick(IReadOnlyList<DownloadPeer> peers, DateTimeOffset now, DownloadPeer? avoid, bool claimersOnly)
    {
        DownloadPeer? best = null;
        foreach (var p in peers)
        {
            if (claimersOnly && !p.Claimed)
            {
                continue;
            }

            if (p.CanTake(now) && (best is null || (best == avoid && p != avoid) || (p != avoid && p.Capacity - p.InFlight > best.Capacity - best.InFlight)))
            {
                best = p;
            }
        }

        return best;
    }
}
