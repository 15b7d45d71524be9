using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Protocol;
using Aviary.Web.History;

namespace Aviary.Web.Api;

/// <summary>Turns core state into API objects. Methods taking the core run on the core thread.</summary>
internal static class StatusMapper
{
    /// <summary>Most blocks one page of /api/blocks returns.</summary>
    public const int MaxPage = 100;

    /// <summary>Blocks in the default page and in a live "block" event.</summary>
    public const int DefaultPage = 20;

    public static StatusDto Status(NodeCore core, ChainWatch watch, DateTimeOffset startedAt)
    {
        var s = core.Snapshot();
        var peers = Peers(s);
        var sync = s.Sync is { } d
            ? new SyncDto(d.Target.Height, d.Target.Hash, d.Phase, d.ForkHeight, d.VerifiedHeight, SyncProgress.Percent(d), d.InFlight, d.Requests, d.Retransmissions, d.StartedAt, d.Peers)
            : null;
        var last = s.LastSync is { } l
            ? new LastSyncDto(l.Target.Height, l.Target.Hash, l.ForkHeight, l.Fetched, l.Seconds, l.BlocksPerSecond, l.Requests, l.Retransmissions, l.Outcome, l.At)
            : null;
        var c = s.Counters;
        var counters = new CountersDto(c.DatagramsIn, c.BytesIn, c.DatagramsOut, c.BytesOut, c.InvalidBlocks, c.ConsensusRequests, c.OversizedRefused, c.Rejections.Values.Sum(), Sorted(c.Received), Sorted(c.Sent));
        var rejections = Enum.GetValues<RejectionReason>().ToDictionary(r => r.ToString(), r => c.Rejections.GetValueOrDefault(r));
        var top = core.Chain.Count > 0 ? Block(core.Chain, core.Chain.Count - 1) : null;
        return new StatusDto(
            s.At,
            new NodeDto(s.Name, s.Id, s.Self.ToString(), s.Difficulty, startedAt),
            new ChainDto(s.Height, s.TopHash, top),
            peers,
            sync,
            last,
            counters,
            rejections,
            watch.Leaders(),
            watch.DistinctMiners,
            s.Miner is { } m ? Miner(m) : null,
            Defences(c))
        {
            Sample = ChartPoint.Of(s),
        };
    }

    private static DefencesDto Defences(CounterStatus c) => new(
        c.RateLimited.OrderBy(r => r.Key).ToDictionary(r => r.Key.ToString(), r => r.Value),
        [.. c.WithheldByReason.Select(w => new WithheldDto(w.Reason.ToString(), w.Type, w.Count))],
        c.RepliesPaced,
        c.InboxDropped,
        c.ChallengesSent,
        c.AddressesProven);

    /// <summary>The block at <paramref name="height"/> with its predecessor's hash, or null.</summary>
    public static BlockDto? Block(LocalChain chain, long height)
    {
        if (chain[height] is not { } b)
        {
            return null;
        }

        return new BlockDto(b.Height, b.Hash, chain[height - 1]?.Hash, b.MinedBy, b.Nonce, b.Messages, b.Timestamp, Hex.TrailingZeros(b.Hash));
    }

    /// <summary>
    /// Up to <paramref name="count"/> blocks ending at <paramref name="from"/> (inclusive), newest first;
    /// <paramref name="from"/> null means the top.
    /// </summary>
    public static BlockPageDto Page(LocalChain chain, long? from, int count)
    {
        count = Math.Clamp(count, 1, MaxPage);
        var start = Math.Min(from ?? chain.Count - 1, chain.Count - 1);
        var blocks = new List<BlockDto>(count);
        for (var h = start; h >= 0 && blocks.Count < count; h--)
        {
            blocks.Add(Block(chain, h)!);
        }

        return new BlockPageDto(chain.Count, start, blocks.Count, blocks);
    }

    public static ChainEventDto ChainEvent(LocalChain chain) => new(chain.Count, chain.TopHash, Page(chain, null, DefaultPage).Blocks);

    public static IReadOnlyList<PeerDto> Peers(NodeStatus s) =>
        [.. s.Peers.Select(p => new PeerDto(p.Name, p.Address.ToString(), p.Height, p.TopHash, Seconds(s.At - p.LastHeard), p.FirstSeen, p.Misbehaving)
        {
            ClaimAgeSeconds = p.StatsAt is { } at ? Seconds(s.At - at) : null,
            Proven = p.Proven,
        })];

    /// <summary>The miner as the page shows it, from the core's <see cref="MinerStatus"/>.</summary>
    public static MinerDto Miner(MinerStatus m) => new(
        m.Running,
        m.Threads,
        m.Tier,
        m.AttemptsPerSecond,
        m.RemoteAttemptsPerSecond,
        [.. m.Workers.Select(w => new WorkerDto(w.Address, w.Name, w.Tier, w.Threads, w.AttemptsPerSecond, w.Solutions, w.ConnectedAt))],
        m.DroppedWorkers,
        m.TemplateHeight,
        m.JobId,
        m.CurrentMessages,
        m.QueuedWords,
        m.WaitingWords,
        m.WordRejections.OrderBy(r => r.Key).ToDictionary(r => r.Key.ToString(), r => r.Value),
        m.BlocksMined,
        m.StaleSolutions,
        m.RejectedSolutions,
        [.. m.Gpus.Select(g => new GpuDto(g.Device, g.AttemptsPerSecond))]);

    private static double Seconds(TimeSpan age) => Math.Max(0, age.TotalSeconds);

    /// <summary>
    /// Seconds between each of the newest <paramref name="count"/> blocks and the one before it, by their
    /// timestamps (as miners wrote them: a negative gap is shown as it is), oldest first.
    /// </summary>
    public static IReadOnlyList<IntervalDto> Intervals(LocalChain chain, int count)
    {
        var first = Math.Max(1, chain.Count - count);
        var intervals = new List<IntervalDto>((int)Math.Max(0, chain.Count - first));
        for (var h = first; h < chain.Count; h++)
        {
            intervals.Add(new IntervalDto(h, chain[h]!.Timestamp - chain[h - 1]!.Timestamp));
        }

        return intervals;
    }

    private static SortedDictionary<string, long> Sorted(IReadOnlyDictionary<string, long> counts) => new(counts.ToDictionary(), StringComparer.Ordinal);
}
