namespace Aviary.Node.Sync;

/// <summary>The heights a download may ask for now: those it still wants, and up to where new ones may be asked.</summary>
public interface IHeightWindow
{
    /// <summary>True when <paramref name="height"/> is still wanted (not verified, not buffered, not past the end).</summary>
    bool Wants(long height);

    /// <summary>True when a block for <paramref name="height"/> is already held.</summary>
    bool Holds(long height);

    /// <summary>New heights are asked below this one (the end of the window ahead of the verified tip).</summary>
    long Limit { get; }
}

/// <summary>One GET_BLOCK awaiting its reply; <paramref name="Sequence"/> orders the requests sent to one peer.</summary>
public readonly record struct InFlightRequest(DownloadPeer Peer, DateTimeOffset SentAt, int Attempts, long Sequence);

/// <summary>
/// The height-request tracker of a download (sans I/O): which heights are in flight to which peer,
/// which wait to be retried (and which peer to avoid for them), the cursor of new heights within the
/// window, and the timeouts. It sends through the callback it is given and decides nothing about
/// blocks: whoever owns it says which heights are still wanted (<see cref="IHeightWindow"/>).
/// </summary>
public sealed partial class HeightRequests(Action<PeerAddress, long> request)
{
    private readonly Dictionary<long, InFlightRequest> inFlight = [];
    private readonly Dictionary<DownloadPeer, SendOrder> sendOrder = new(ReferenceEqualityComparer.Instance);
    private readonly PresumedLost presumedLost = new();
    private readonly Queue<(long Height, DownloadPeer? Avoid)> retries = new();
    private long cursor;

    /// <summary>Requests in flight.</summary>
    public int Count => inFlight.Count;

    /// <summary>Heights queued for a retry (some may no longer be wanted; they are dropped when reached).</summary>
    public int RetryCount => retries.Count;

    /// <summary>GET_BLOCKs sent.</summary>
    public long Requests { get; private set; }

    /// <summary>Blocks requested more than once.</summary>
    public long Retransmissions { get; private set; }

    /// <summary>Requests presumed lost because their peer answered later ones (see <see cref="Answered"/>).</summary>
    public long Overtaken { get; private set; }

    /// <summary>Of those, answered after all by the peer they were asked of (reordered, not lost).</summary>
    public long OvertakenAnswered { get; private set; }

    public bool IsInFlight(long height) => inFlight.ContainsKey(height);

    public bool TryGet(long height, out InFlightRequest asked) => inFlight.TryGetValue(height, out asked);

    /// <summary>New heights are taken from <paramref name="height"/> on (the fork point, when fetching begins).</summary>
    public void StartAt(long height) => cursor = height;

    /// <summary>Queues <paramref name="height"/> to be asked again, preferably not of <paramref name="avoid"/>.</summary>
    public void Retry(long height, DownloadPeer? avoid) => retries.Enqueue((height, avoid));

    public void ClearRetries() => retries.Clear();

    /// <summary>Forgets every request in flight (the download is over; peers' counts are left as they are).</summary>
    public void ClearInFlight()
    {
        inFlight.Clear();
        sendOrder.Clear();
        presumedLost.Clear();
    }

    public void Send(DownloadPeer peer, long height, int attempts, DateTimeOffset now)
    {
        peer.InFlight++;
        inFlight[height] = new InFlightRequest(peer, now, attempts, OrderOf(peer).Add(height));
        Requests++;
        if (attempts > 1)
        {
            Retransmissions++;
        }

        request(peer.Address, height);
    }

    /// <summary>
    /// The request for <paramref name="height"/> was answered (by anyone): it leaves the table. When
    /// the peer asked answered it itself (<paramref name="bySender"/>) and it was a first request
    /// (an answer to a retry could be the late answer to the first one, Karn's rule), the peer's
    /// requests sent at least its <see cref="DownloadPeer.ReorderTolerance"/> before this one and still
    /// unanswered are presumed lost, as TCP's fast retransmit does: a peer answers in the order it is
    /// asked, so a later answer means the earlier request or its reply was dropped or is far behind.
    /// They are queued for a retry at once instead of waiting out the timeout (which, with a lost
    /// block at the bottom of the window, stalls the whole download), and the peer's window shrinks as
    /// for a loss. One answered after all raises that peer's tolerance (<see cref="NoteReply"/>).
    /// </summary>
    public void Answered(long height, InFlightRequest asked, bool bySender, DateTimeOffset now)
    {
        inFlight.Remove(height);
        var peer = asked.Peer;
        peer.InFlight--;
        if (!bySender || asked.Attempts > 1 || !sendOrder.TryGetValue(peer, out var order))
        {
            return;
        }

        while (order.TryTakeBefore(asked.Sequence - peer.ReorderTolerance + 1, out var sequence, out var h))
        {
            if (inFlight.TryGetValue(h, out var earlier) && earlier.Peer == peer && earlier.Sequence == sequence)
            {
                inFlight.Remove(h);
                peer.InFlight--;
                peer.Overtaken(now);
                retries.Enqueue((h, peer));
                presumedLost.Add(h, peer, asked.Sequence - sequence);
                Overtaken++;
            }
        }
    }

    /// <summary>
    /// A block for <paramref name="height"/> came from <paramref name="sender"/>, before anything else
    /// looks at it: if that request was presumed lost (and is not asked of it again, which would make
    /// the answer ambiguous), it was only reordered, and the peer's tolerance grows to cover that.
    /// </summary>
    public void NoteReply(long height, DownloadPeer? sender)
    {
        if (sender is null || presumedLost.Take(height, sender) is not { } distance)
        {
            return;
        }

        if (!(inFlight.TryGetValue(height, out var again) && again.Peer == sender))
        {
            sender.Reordered(distance);
            OvertakenAnswered++;
        }
    }

    private SendOrder OrderOf(DownloadPeer peer)
    {
        if (!sendOrder.TryGetValue(peer, out var order))
        {
            order = new SendOrder();
            sendOrder[peer] = order;
        }

        return order;
    }

    /// <summary>
    /// The next height to ask: a queued retry still wanted and not in flight (retries no longer wanted
    /// are dropped), else a new height of the window. Without a window (the fork search) every retry
    /// is wanted and there are no new heights.
    /// </summary>
    public bool NextHeight(IHeightWindow? window, out long height, out DownloadPeer? avoid)
    {
        var count = retries.Count;
        for (var i = 0; i < count; i++)
        {
            var (h, a) = retries.Dequeue();
            var wanted = window is null || window.Wants(h);
            if (wanted && !inFlight.ContainsKey(h))
            {
                height = h;
                avoid = a;
                return true;
            }
        }

        avoid = null;
        if (window is not null)
        {
            var limit = window.Limit;
            while (cursor < limit)
            {
                var h = cursor++;
                if (!window.Holds(h) && !inFlight.ContainsKey(h))
                {
                    height = h;
                    return true;
                }
            }
        }

        height = -1;
        return false;
    }

    /// <summary>
    /// The dispatcher: asks for heights (retries first) while <paramref name="window"/> gives heights
    /// to ask and <paramref name="pick"/> finds a peer with room for each (given the peer to avoid); a
    /// height no peer can take now goes back to the retry queue. Both are read again for each height,
    /// and it stops as soon as <paramref name="stopped"/> (the download ended).
    /// </summary>
    public void Pump(Func<IHeightWindow?> window, Func<DownloadPeer?, DownloadPeer?> pick, Func<bool> stopped, DateTimeOffset now)
    {
        while (!stopped() && NextHeight(window(), out var height, out var avoid))
        {
            var peer = pick(avoid);
            if (peer is null)
            {
                retries.Enqueue((height, avoid));
                return;
            }

            Send(peer, height, avoid is null ? 1 : 2, now);
        }
    }

    /// <summary>A null reply from <paramref name="peer"/> names no height: it frees that peer's oldest request, queued for a retry.</summary>
    /// <returns>The height freed, or null when nothing was in flight to it.</returns>
    public long? FreeOldest(DownloadPeer peer)
    {
        var oldest = inFlight.Where(e => e.Value.Peer == peer).OrderBy(e => e.Value.SentAt).Select(e => (long?)e.Key).FirstOrDefault();
        if (oldest is not { } h)
        {
            return null;
        }

        inFlight.Remove(h);
        peer.InFlight--;
        retries.Enqueue((h, peer));
        return h;
    }

    /// <summary>Takes every request in flight to <paramref name="peer"/> back, queued for a retry elsewhere.</summary>
    public void RequeueAll(DownloadPeer peer)
    {
        foreach (var h in inFlight.Where(e => e.Value.Peer == peer).Select(e => e.Key).ToList())
        {
            inFlight.Remove(h);
            retries.Enqueue((h, peer));
        }

        peer.InFlight = 0;
    }
}
