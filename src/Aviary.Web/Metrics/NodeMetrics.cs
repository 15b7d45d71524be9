using System.Diagnostics.Metrics;

using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Web.Metrics;

/// <summary>
/// The node's counters and gauges as System.Diagnostics.Metrics instruments on a meter named
/// "Aviary.Node.N" (one per dashboard: a process running several nodes, as the devnet does, exports
/// each node's own). Every instrument is observable and reads the latest snapshot given to <see cref="Update"/>;
/// the miner's instruments report only while the node mines.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "Aviary.Node";

    private static int instances;
    private NodeStatus? latest;

    public NodeMetrics()
    {
        Meter = new Meter($"{MeterName}.{Interlocked.Increment(ref instances)}");
        Gauge("aviary.chain.height", "{block}", "Blocks in our chain (the STATS_REPLY height).", s => s.Height);
        Gauge("aviary.chain.difficulty", "{zero}", "Trailing '0' hex characters a block hash needs.", s => s.Difficulty);
        Gauge("aviary.peers", "{peer}", "Peers tracked through gossip.", s => s.Peers.Count);
        Gauge("aviary.peers.misbehaving", "{peer}", "Tracked peers ignored for consensus after serving bad blocks or lying.", s => s.Peers.Count(p => p.Misbehaving));
        Counter("aviary.datagrams.received", "{datagram}", "Datagrams received, accepted or not.", s => s.Counters.DatagramsIn);
        Counter("aviary.datagrams.sent", "{datagram}", "Datagrams sent.", s => s.Counters.DatagramsOut);
        Counter("aviary.traffic.received", "By", "Bytes received in datagrams.", s => s.Counters.BytesIn);
        Counter("aviary.traffic.sent", "By", "Bytes sent in datagrams.", s => s.Counters.BytesOut);
        Counter("aviary.datagrams.oversized", "{datagram}", "Messages not sent because they would exceed 1024 bytes.", s => s.Counters.OversizedRefused);
        Counter("aviary.blocks.invalid", "{block}", "Blocks offered to us that broke a chain rule.", s => s.Counters.InvalidBlocks);
        Counter("aviary.consensus.requests", "{request}", "CONSENSUS messages received.", s => s.Counters.ConsensusRequests);
        Meter.CreateObservableCounter("aviary.messages.received", () => ByTag(s => s.Counters.Received, "type"), "{message}", "Messages accepted, by type.");
        Meter.CreateObservableCounter("aviary.messages.sent", () => ByTag(s => s.Counters.Sent, "type"), "{message}", "Messages sent, by type.");
        Meter.CreateObservableCounter("aviary.datagrams.rejected", Rejections, "{datagram}", "Datagrams rejected by the codec, by reason.");
        Meter.CreateObservableCounter("aviary.datagrams.rate_limited", RateLimited, "{datagram}", "Datagrams dropped because their source ran out of a rate budget, by budget.");
        Meter.CreateObservableCounter("aviary.sends.withheld", Withheld, "{datagram}", "Sends to unproven addresses withheld, by reason and message type.");
        Counter("aviary.replies.paced", "{reply}", "GET_BLOCK_REPLYs held back and sent at the pace of a peer whose socket dropped our bursts.", s => s.Counters.RepliesPaced);
        Gauge("aviary.sync.active", "{sync}", "1 while a chain download runs.", s => s.Sync is null ? 0 : 1);
        Gauge("aviary.sync.target.height", "{block}", "Height of the chain being downloaded (0 when idle).", s => s.Sync?.Target.Height ?? 0);
        Gauge("aviary.sync.verified.height", "{block}", "Blocks verified so far in the running download (0 when idle).", s => s.Sync?.VerifiedHeight ?? 0);
        MinerGauge("aviary.miner.hashes", "{hash}/s", "Hashes per second of the node's own miner threads.", m => m.AttemptsPerSecond);
        MinerGauge("aviary.miner.remote.hashes", "{hash}/s", "Hashes per second reported by remote workers, all together.", m => m.RemoteAttemptsPerSecond);
        MinerGauge("aviary.miner.threads", "{thread}", "Miner threads of the node itself.", m => m.Threads);
        MinerGauge("aviary.miner.workers", "{worker}", "Remote workers connected.", m => m.Workers.Count);
        MinerGauge("aviary.miner.mining", "{job}", "1 while a block is being mined, 0 while idle.", m => m.Running ? 1 : 0);
        MinerGauge("aviary.miner.template.height", "{block}", "Height of the block being mined (absent while idle).", m => m.TemplateHeight);
        MinerGauge("aviary.miner.words.queued", "{word}", "NEW_WORD words waiting for a block.", m => m.QueuedWords);
        MinerCounter("aviary.miner.blocks", "{block}", "Blocks this node mined that went into its chain since it started.", m => m.BlocksMined);
        MinerCounter("aviary.miner.solutions.stale", "{solution}", "Solutions found for a job the tip had already replaced.", m => m.StaleSolutions);
        MinerCounter("aviary.miner.solutions.rejected", "{solution}", "Solutions that did not make a valid block of their job.", m => m.RejectedSolutions);
        Meter.CreateObservableGauge("aviary.miner.gpu.hashes", GpuRates, "{hash}/s", "Attempts per second of each of the node's GPUs (run --gpu), by device.");
    }

    /// <summary>The meter holding the instruments.</summary>
    public Meter Meter { get; }

    /// <summary>Makes <paramref name="status"/> (its miner section included) what the instruments report.</summary>
    public void Update(NodeStatus status) => Volatile.Write(ref latest, status);

    public void Dispose() => Meter.Dispose();

    private void Gauge(string name, string unit, string description, Func<NodeStatus, long> read) =>
        Meter.CreateObservableGauge(name, () => Read(read), unit, description);

    private void Counter(string name, string unit, string description, Func<NodeStatus, long> read) =>
        Meter.CreateObservableCounter(name, () => Read(read), unit, description);

    private IEnumerable<Measurement<long>> Read(Func<NodeStatus, long> read) =>
        Volatile.Read(ref latest) is { } s ? [new Measurement<long>(read(s))] : [];

    private IEnumerable<Measurement<long>> ByTag(Func<NodeStatus, IReadOnlyDictionary<string, long>> read, string tag) =>
        Volatile.Read(ref latest) is { } s
            ? [.. read(s).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>(tag, e.Key)))]
            : [];

    private IEnumerable<Measurement<long>> Rejections() =>
        Volatile.Read(ref latest) is { } s
            ? [.. Enum.GetValues<RejectionReason>().Select(r => new Measurement<long>(s.Counters.Rejections.GetValueOrDefault(r), new KeyValuePair<string, object?>("reason", r.ToString())))]
            : [];

    private IEnumerable<Measurement<long>> RateLimited() =>
        Volatile.Read(ref latest) is { } s
            ? [.. Enum.GetValues<Node.Limits.RateClass>().Select(r => new Measurement<long>(s.Counters.RateLimited.GetValueOrDefault(r), new KeyValuePair<string, object?>("budget", r.ToString())))]
            : [];

    private IEnumerable<Measurement<long>> Withheld() =>
        Volatile.Read(ref latest) is { } s
            ? [.. s.Counters.WithheldByReason.Select(w => new Measurement<long>(w.Count, new KeyValuePair<string, object?>("reason", w.Reason.ToString()), new KeyValuePair<string, object?>("type", w.Type)))]
            : [];

    private IEnumerable<Measurement<double>> GpuRates() =>
        Volatile.Read(ref latest)?.Miner is { } m
            ? [.. m.Gpus.Select(g => new Measurement<double>(g.AttemptsPerSecond, new KeyValuePair<string, object?>("device", g.Device)))]
            : [];

    private void MinerGauge(string name, string unit, string description, Func<MinerStatus, double?> read) =>
        Meter.CreateObservableGauge(name, () => MinerValue(read), unit, description);

    private void MinerCounter(string name, string unit, string description, Func<MinerStatus, long> read) =>
        Meter.CreateObservableCounter(name, () => Volatile.Read(ref latest)?.Miner is { } m ? [new Measurement<long>(read(m))] : Array.Empty<Measurement<long>>(), unit, description);

    private IEnumerable<Measurement<double>> MinerValue(Func<MinerStatus, double?> read) =>
        Volatile.Read(ref latest)?.Miner is { } m && read(m) is { } v ? [new Measurement<double>(v)] : [];
}
