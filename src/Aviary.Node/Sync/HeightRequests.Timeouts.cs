namespace Aviary.Node.Sync;

/// <summary>Timeouts, and the self-check tests call.</summary>
public sealed partial class HeightRequests
{
    /// <summary>
    /// Requests older than their peer's timeout are queued for a retry; the peer backs off. After
    /// <paramref name="stallAfter"/> loss events in a row a peer that never answered is excluded, and
    /// one silent for two timeouts is skipped for one.
    /// </summary>
    public void Expire(DateTimeOffset now, int stallAfter)
    {
        List<long>? expired = null;
        foreach (var (h, r) in inFlight)
        {
            if (now - r.SentAt > r.Peer.Timeout)
            {
                (expired ??= []).Add(h);
            }
        }

        foreach (var h in expired ?? [])
        {
            if (!inFlight.Remove(h, out var r))
            {
                continue; // already requeued with the rest of an excluded peer's requests
            }

            var peer = r.Peer;
            peer.InFlight--;
            if (peer.BackOff(now) && peer.ConsecutiveLosses >= stallAfter)
            {
                // Counted in loss events, not timeouts: a whole window lost at once (a peer whose
                // socket was closed for a moment) is one event, not a reason to give up on it.
                if (peer.Served == 0)
                {
                    // Never answered anything: a staller, or a liar with nothing to serve.
                    peer.Excluded = true;
                    RequeueAll(peer);
                }
                else if (now - peer.LastReply > peer.Timeout * 2)
                {
                    // Silent for two timeouts while asked: skip it for one (backed-off) timeout.
                    peer.SkipUntil = now + peer.Timeout;
                }
            }

            retries.Enqueue((h, peer));
        }
    }

    /// <summary>
    /// The tracker's invariants, for tests: each peer's in-flight count matches the table, no excluded
    /// peer has a request in flight, nothing in flight is past <paramref name="maxHeight"/>, and (given a
    /// window) no height in flight is one whose block is held from a peer (an offered, announced block
    /// may be; its request is still answered). Empty when all hold.
    /// </summary>
    public IReadOnlyList<string> Check(IEnumerable<DownloadPeer> peers, long maxHeight, Func<long, bool>? heldFromPeer = null)
    {
        var problems = new List<string>();
        foreach (var p in peers)
        {
            var count = inFlight.Values.Count(r => r.Peer == p);
            if (count != p.InFlight)
            {
                problems.Add($"{p.Address}: {p.InFlight} counted in flight, {count} in the table");
            }

            if (p.Excluded && count > 0)
            {
                problems.Add($"{p.Address}: excluded, yet {count} requests in flight");
            }
        }

        foreach (var (h, r) in inFlight)
        {
            if (h < 0 || h > maxHeight)
            {
                problems.Add($"height {h} in flight to {r.Peer.Address}: outside 0..{maxHeight}");
            }

            if (heldFromPeer?.Invoke(h) == true)
            {
                problems.Add($"height {h} in flight to {r.Peer.Address} and already held");
            }

            if (r.Attempts < 1)
            {
                problems.Add($"height {h}: {r.Attempts} attempts");
            }
        }

        return problems;
    }
}
