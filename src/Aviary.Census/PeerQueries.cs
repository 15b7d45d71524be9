using System.Net;

using Aviary.Client;
using Aviary.Probe;
using Aviary.Protocol;

namespace Aviary.Census;

/// <summary>STATS and GET_BLOCK to one peer, each request paced (at most the census's rate) and retried a bounded number of times.</summary>
public sealed class PeerQueries(IPEndPoint peer, TimeSpan timeout, double requestsPerSecond)
{
    private const int Tries = 2;

    private readonly RequestPacer pacer = new(requestsPerSecond);
    private readonly Dictionary<long, string?> hashes = [];

    public IPEndPoint Peer { get; } = peer;

    /// <summary>Requests sent so far.</summary>
    public long Sent => pacer.Granted;

    /// <summary>Whether it answered STATS at all, and its STATS_REPLY when the answer decoded as one.</summary>
    public async Task<(bool Answered, StatsReply? Reply)> StatsAsync(CancellationToken cancel)
    {
        for (var i = 0; i < Tries; i++)
        {
            await pacer.WaitAsync(cancel);
            var exchange = await PeerClient.RequestAsync(Peer, new Stats(), m => m is StatsReply, timeout, cancel);
            if (exchange.Reply is StatsReply reply)
            {
                return (true, reply);
            }

            if (exchange.Malformed is not null)
            {
                return (true, null);
            }
        }

        return (false, null);
    }

    /// <summary>The hash of its block at <paramref name="height"/> (remembered), or null when it serves none there.</summary>
    public async Task<(bool Answered, string? Hash)> HashAtAsync(long height, CancellationToken cancel)
    {
        lock (hashes)
        {
            if (hashes.TryGetValue(height, out var known))
            {
                return (true, known);
            }
        }

        for (var i = 0; i < Tries; i++)
        {
            await pacer.WaitAsync(cancel);
            var exchange = await PeerClient.RequestAsync(Peer, new GetBlock(height), m => m is GetBlockReply r && (r.Block is null || r.Block.Height == height), timeout, cancel);
            if (exchange.Reply is GetBlockReply reply)
            {
                var hash = reply.Block?.Hash;
                lock (hashes)
                {
                    hashes[height] = hash;
                }

                return (true, hash);
            }
        }

        return (false, null);
    }
}
