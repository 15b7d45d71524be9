using System.Diagnostics.Metrics;

using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Web.Metrics;

/// <summary>
/// The node's counters and gauges as System.Diagnostics.Metrics instruments on a meter named
/// "Aviary.Node". Every instrument is observable and reads the latest snapshot given to <see cref="Update"/>.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "Aviary.Node";

    private NodeStatus? latest;
    private MinerStatus? miner;

    public NodeMetrics()
    {
        Meter = new Meter(MeterName);
        Gauge("aviary.chain.height", "{block}", "Blocks in our chain (the STATS_REPLY height).", s => s.Height);
        Gauge("aviary.chain.difficulty", "{zero}", "Trailing '0' hex characters a block hash needs.", s => s.Difficulty);
        Gauge("aviary.peers", "{peer}", "Peers tracked through gossip.", s => s.Peers.Count);
        Gauge("aviary.peers.misbehaving", "{peer}", "Tracked peers ignored for consensus after serving bad blocks or lying.", s => s.Peers.Count(p => p.Misbehaving));
        Counter("aviary.datagrams.received", "{datagram}", "Datagrams received, accepted or not.", s => s.Counters.DatagramsIn);
        Counter("aviary.datagrams.sent", "{datagram}", "Datagrams sent.", s => s.Counters.DatagramsOut);
        Counter("aviary.bytes.received", "By", "Bytes received in datagrams.", s => s.Counters.BytesIn);
        Counter("aviary.bytes.sent", "By", "Bytes sent in datagrams.", s => s.Counters.BytesOut);
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
        Meter.CreateObservableGauge("aviary.miner.hashrate", () => MinerValue(m => m.HashesPerSecond), "{hash}/s", "Hashes per second of the miner, when this node mines.");
        Meter.CreateObservableGauge("aviary.miner.gpu.hashrate", GpuRates, "{hash}/s", "Attempts per second of each of the node's GPUs (run --gpu), by device.");
        Meter.CreateObservableCounter("aviary.miner.blocks", () => MinerValue(m => (double)m.BlocksMined), "{block}", "Blocks this node mined since it started, when it mines.");
    }

    /// <summary>The meter holding the instruments.</summary>
    public Meter Meter { get; }

    /// <summary>Makes <paramref name="status"/> (and the miner's state) what the instruments report.</summary>
    public void Update(NodeStatus status, MinerStatus? minerStatus)
    {
        Volatile.Write(ref latest, status);
        Volatile.Write(ref miner, minerStatus);
    }

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

    private IEnumerable<Measurement<double>> MinerValue(Func<MinerStatus, double> read) =>
        Volatile.Read(ref miner) is { } m ? [new Measurement<double>(read(m))] : [];
}
