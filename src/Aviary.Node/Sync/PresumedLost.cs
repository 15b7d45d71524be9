namespace Aviary.Node.Sync;

/// <summary>
/// Requests a download presumed lost because their peer answered later ones: height, peer, and how
/// many requests behind the overtaking answer it was sent. Kept until the peer answers it after all
/// (it was reordered; see <see cref="HeightRequests.NoteReply"/>) or, oldest first, past
/// <see cref="Capacity"/>.
/// </summary>
internal sealed class PresumedLost
{
    /// <summary>Most entries kept.</summary>
    public const int Capacity = 1024;

    private readonly Dictionary<long, (DownloadPeer Peer, long Distance)> entries = [];
    private readonly Queue<long> order = new();

    public int Count => entries.Count;

    public void Add(long height, DownloadPeer peer, long distance)
    {
        // The order queue may hold heights taken meanwhile; bounding it bounds both.
        while (order.Count >= Capacity && order.TryDequeue(out var oldest))
        {
            entries.Remove(oldest);
        }

        if (entries.TryAdd(height, (peer, distance)))
        {
            order.Enqueue(height);
        }
    }

    /// <summary>The distance recorded for <paramref name="height"/> if it was presumed lost from <paramref name="peer"/>; the entry goes.</summary>
    public long? Take(long height, DownloadPeer peer)
    {
        if (!entries.TryGetValue(height, out var entry) || entry.Peer != peer)
        {
            return null;
        }

        entries.Remove(height);
        return entry.Distance;
    }

    public void Clear()
    {
        entries.Clear();
        order.Clear();
    }
}
