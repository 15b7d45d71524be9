using System.Net;

using Aviary.Probe;

namespace Aviary.Census;

/// <summary>Grades one peer with the prober's checks that change nothing on the peer (and the ANNOUNCE check when asked).</summary>
public sealed class PeerGrader(CensusOptions options)
{
    /// <summary>
    /// Checks that only read: STATS and GET_BLOCK (including a negative and a non-integer height, both
    /// small), the chain from genesis (at most <see cref="CensusOptions.MaxBlocks"/> blocks) and where a
    /// GOSSIP_REPLY goes. Left out: forward-once and CONSENSUS (they make the peer message its own
    /// peers) and the malformed-input check (it sends datagrams larger than the protocol allows).
    /// </summary>
    public static readonly IReadOnlySet<string> ReadOnlyChecks = new HashSet<string>(StringComparer.Ordinal)
    {
        "stats.reply", "stats.shape", "stats.count", "get_block.valid", "get_block.missing", "get_block.negative", "get_block.non_integer", "chain.verifies", "gossip.reply",
    };

    /// <summary>The name the prober's sockets use, so the census does not count them as peers.</summary>
    public string ProbeName => $"{options.Name}-probe";

    public async Task<ProbeReport> GradeAsync(IPEndPoint peer, TimeSpan limit, CancellationToken cancel)
    {
        var only = new HashSet<string>(ReadOnlyChecks, StringComparer.Ordinal);
        if (options.Announce)
        {
            only.Add("announce.adopted");
        }

        var probe = new ProbeOptions
        {
            Target = peer,
            Bind = options.Bind,
            Advertise = options.AdvertisedHost,
            ReplyTimeout = options.ReplyTimeout,
            OverallLimit = limit,
            MaxBlocks = options.MaxBlocks,
            Announce = options.Announce,
            Name = ProbeName,
            Only = only,
            RequestsPerSecond = options.RequestsPerSecond,
            Introduce = true,
        };
        return await new Prober(probe).RunAsync(cancel);
    }
}
