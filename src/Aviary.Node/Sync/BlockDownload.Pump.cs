namespace Aviary.Node.Sync;

/// <summary>The request pump: which height to ask next (retries first), and which peer has room in its window.</summary>
public sealed partial class BlockDownload
{
    private void Pump(DateTimeOffset now)
    {
        while (!Finished && NextHeight(out var height, out var avoid))
        {
            var peer = PickPeer(now, avoid);
            if (peer is null)
            {
                retries.Enqueue((height, avoid));
                return;
            }

            Send(peer, height, avoid is null ? 1 : 2, now);
        }
    }

    private bool NextHeight(out long height, out DownloadPeer? avoid)
    {
        var count = retries.Count;
        for (var i = 0; i < count; i++)
        {
            var (h, a) = retries.Dequeue();
            var wanted = Phase == DownloadPhase.ForkSearch || (h >= next && h < end && !buffer.ContainsKey(h));
            if (wanted && !inFlight.ContainsKey(h))
            {
                height = h;
                avoid = a;
                return true;
            }
        }

        avoid = null;
        if (Phase == DownloadPhase.Fetch)
        {
            var limit = Math.Min(end, next + limits.Window);
            while (cursor < limit)
            {
                var h = cursor++;
                if (!buffer.ContainsKey(h) && !inFlight.ContainsKey(h))
                {
                    height = h;
                    return true;
                }
            }
        }

        height = -1;
        return false;
    }

    private DownloadPeer? PickPeer(DateTimeOffset now, DownloadPeer? avoid)
    {
        DownloadPeer? best = null;
        foreach (var p in peers)
        {
            if (Phase == DownloadPhase.ForkSearch && !p.Claimed)
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

    private void Send(DownloadPeer peer, long height, int attempts, DateTimeOffset now)
    {
        peer.InFlight++;
        inFlight[height] = new InFlightRequest(peer, now, attempts);
        Requests++;
        if (attempts > 1)
        {
            Retransmissions++;
        }

        request(peer.Address, height);
    }
}
