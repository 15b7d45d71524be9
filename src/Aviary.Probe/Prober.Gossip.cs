using System.Text;

using Aviary.Protocol;

namespace Aviary.Probe;

/// <summary>GOSSIP, GOSSIP_REPLY and CONSENSUS checks (protocol.md §1, §2, §7).</summary>
public sealed partial class Prober
{
    private const int ConsensusAttempts = 3;

    /// <summary>Rounds of the forward-once experiment, each with a fresh id.</summary>
    private const int ForwardRounds = 3;

    /// <summary>How long forwards are watched for: ¾ of a reply timeout (1.5 s by default).</summary>
    private TimeSpan ForwardWindow => options.ReplyTimeout * 0.75;

    /// <summary>How long STATS are awaited after each CONSENSUS: 1½ reply timeouts (3 s by default).</summary>
    private TimeSpan ConsensusWatch => options.ReplyTimeout * 1.5;

    private string GossipFrom(ProbeSocket originator, string id) =>
        Encoding.UTF8.GetString(MessageEncoder.Encode(new Gossip(Advertise, originator.Port, id, options.Name)));

    private static string NewId() => $"aviary-probe-{Guid.NewGuid():N}";

    private static bool IsGossipReply(Datagram d) => d.Type is "GOSSIP_REPLY" or "GOSSIP-REPLY";

    private async Task<(CheckOutcome, string)> GossipReplyAsync(CancellationToken cancel)
    {
        // Sent from A, naming B: the reply belongs at B (the originator), not at A (the datagram's source).
        var gossip = GossipFrom(b, NewId());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await a.SendAsync(gossip, cancel);
            var atB = b.WaitAsync(IsGossipReply, options.ReplyTimeout, cancel);
            var atA = a.WaitAsync(IsGossipReply, options.ReplyTimeout, cancel);
            await Task.WhenAll(atB, atA);
            if (atB.Result is { } reply)
            {
                gossipAcknowledged = true;
                var shape = reply.Json is { } j && reply.Text("host") is not null && Evidence.IsInt(j, "port", out _) && reply.Text("name") is not null;
                var also = atA.Result is null ? string.Empty : " (and a copy to the source socket)";
                if (!shape)
                {
                    return Fail($"reply reached the originator{also}, but lacks a string host, an int port or a string name: {reply.Show()}");
                }

                return reply.Type == "GOSSIP_REPLY"
                    ? Pass($"reply at the originator socket :{b.Port}, not the source :{a.Port}{also}: {reply.Show()}")
                    : Fail($"reply at the originator, but typed \"GOSSIP-REPLY\" (every peer sends GOSSIP_REPLY, §2): {reply.Show()}");
            }

            if (atA.Result is { } wrong)
            {
                return Fail($"GOSSIP_REPLY went to the datagram's source :{a.Port}, not to the originator :{b.Port} named in the message: {wrong.Show()}");
            }
        }

        return Fail($"no GOSSIP_REPLY at either socket: {Silence(3)}");
    }

    private async Task<(CheckOutcome, string)> GossipForwardOnceAsync(CancellationToken cancel)
    {
        // Make the peer know C (C gossips naming itself), then send one id twice from A naming B: a
        // forward of it may go to C; more than one copy at any socket breaks "forward once". A peer
        // with many peers picks 3 at random, so a round that misses C is tried again with a new id.
        await AskAsync(c, GossipFrom(c, NewId()), IsGossipReply, cancel, attempts: 2);
        for (var round = 1; round <= ForwardRounds; round++)
        {
            c.Drain();
            b.Drain();
            var id = NewId();
            var gossip = GossipFrom(b, id);
            await a.SendAsync(gossip, cancel);
            await a.SendAsync(gossip, cancel);
            var atB = b.CollectAsync(ForwardWindow, cancel);
            var atC = c.CollectAsync(ForwardWindow, cancel);
            await Task.WhenAll(atB, atC);

            // Only copies from the peer itself count: in a network, its peers may forward the id to us too.
            bool IsOurs(Datagram d) => d.Type == "GOSSIP" && d.Text("id") == id && d.From.Equals(options.Target);
            var copiesB = atB.Result.Count(IsOurs);
            var copiesC = atC.Result.Count(IsOurs);
            if (copiesB > 1 || copiesC > 1)
            {
                return Fail($"the same id was sent twice; copies forwarded: {copiesC} to the watcher :{c.Port}, {copiesB} to the originator :{b.Port}");
            }

            if (copiesB + copiesC > 0)
            {
                return Pass($"the same id sent twice was forwarded once ({copiesC} copy to the watcher :{c.Port}, {copiesB} to the originator; round {round})");
            }
        }

        return Skip($"in {ForwardRounds} rounds no forward reached the probe's watcher socket within {ForwardWindow.TotalSeconds:0.#} s (the peer may pick other peers, or not forward)");
    }

    private async Task<(CheckOutcome, string)> ConsensusAsync(CancellationToken cancel)
    {
        if (!gossipAcknowledged)
        {
            // Let the peer learn B from a GOSSIP first, as the check relies on it tracking a probe socket.
            await AskAsync(a, GossipFrom(b, NewId()), _ => false, cancel, attempts: 1);
        }

        // Let any round already running (after our gossip joined) end, so its STATS are not mistaken for ours.
        await QuietAsync(cancel);
        for (var attempt = 1; attempt <= ConsensusAttempts; attempt++)
        {
            var before = DateTimeOffset.UtcNow;
            await a.SendAsync("""{"type":"CONSENSUS"}""", cancel);
            var deadline = before + ConsensusWatch;
            while (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancel);
                foreach (var socket in new[] { b, c })
                {
                    if (socket.StatsRequests.FirstOrDefault(t => t > before) is { } at && at != default)
                    {
                        return Pass($"STATS reached the probe's socket :{socket.Port} {(at - before).TotalMilliseconds:0} ms after CONSENSUS (attempt {attempt})");
                    }
                }
            }
        }

        return Fail($"no STATS reached the probe's sockets (which it learned by GOSSIP) within {ConsensusWatch.TotalSeconds:0} s of CONSENSUS, {ConsensusAttempts} times");
    }

    /// <summary>Waits (at most 5 s) until no STATS has reached B or C for one second.</summary>
    private async Task QuietAsync(CancellationToken cancel)
    {
        var giveUp = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTimeOffset.UtcNow < giveUp)
        {
            var last = b.StatsRequests.Concat(c.StatsRequests).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            if (DateTimeOffset.UtcNow - last > TimeSpan.FromSeconds(1))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancel);
        }
    }
}
