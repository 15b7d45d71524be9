using Aviary.Node.Limits;
using Aviary.Protocol;

namespace Aviary.Node;

/// <summary>What the node has seen and done, for logs, the dashboard and tests. Single-threaded writes.</summary>
public sealed class NodeCounters
{
    /// <summary>Most distinct sources whose rejections are counted one by one; the rest are summed as "other".</summary>
    public const int MaxRejectionSources = 1024;

    private readonly long[] rejections = new long[Enum.GetValues<RejectionReason>().Length];
    private readonly Dictionary<string, long> received = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> rejectionsBySource = new(StringComparer.Ordinal);
    private readonly long[] rateLimited = new long[Enum.GetValues<RateClass>().Length];
    private readonly Dictionary<(WithholdReason Reason, string Type), long> withheldByReason = [];

    public long DatagramsIn { get; private set; }

    public long BytesIn { get; private set; }

    public long DatagramsOut { get; private set; }

    public long BytesOut { get; private set; }

    /// <summary>Messages we would have sent but could not encode within 1024 bytes.</summary>
    public long OversizedRefused { get; private set; }

    /// <summary>Rejected datagrams from sources past <see cref="MaxRejectionSources"/>.</summary>
    public long RejectionsFromOtherSources { get; private set; }

    /// <summary>Blocks offered to us (ANNOUNCE, replies) that broke a chain rule.</summary>
    public long InvalidBlocks { get; internal set; }

    /// <summary>CONSENSUS requests received.</summary>
    public long ConsensusRequests { get; internal set; }

    /// <summary>Datagrams dropped unread or unhandled because their source ran out of a rate budget.</summary>
    public long RateLimited { get; private set; }

    /// <summary>
    /// Datagrams received but dropped from the host's inbox because the core fell behind (the longest
    /// source's backlog goes first; the UDP host's fair queue). Written by the host through
    /// <see cref="ReportInboxDropped"/>.
    /// </summary>
    public long InboxDropped { get; private set; }

    /// <summary>Datagrams we did not send to an unproven address: past a response rate limit, or to a third party (see <see cref="WithholdReason"/>).</summary>
    public long Withheld { get; private set; }

    /// <summary>GET_BLOCK_REPLYs held back and sent later to a peer whose socket dropped our bursts (see <see cref="Limits.ReplyPacer"/>).</summary>
    public long RepliesPaced { get; internal set; }

    /// <summary>GOSSIP challenges sent to unproven addresses so they can prove they receive.</summary>
    public long ChallengesSent { get; internal set; }

    /// <summary>Addresses that proved they receive by answering one of our requests.</summary>
    public long AddressesProven { get; internal set; }

    /// <summary>Count of rejections since the last summary, for the periodic log line.</summary>
    internal long RejectionsSinceSummary { get; set; }

    public long Rejections(RejectionReason reason) => rejections[(int)reason];

    public long TotalRejections => rejections.Sum();

    public IReadOnlyDictionary<string, long> Received => received;

    public IReadOnlyDictionary<string, long> Sent => sent;

    public IReadOnlyDictionary<string, long> RejectionsBySource => rejectionsBySource;

    /// <summary>Withheld sends by message type, summed over the reasons (a new dictionary on each read: status pages, tests).</summary>
    public IReadOnlyDictionary<string, long> WithheldByType =>
        withheldByReason.GroupBy(w => w.Key.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(w => w.Value), StringComparer.Ordinal);

    /// <summary>Withheld sends by reason and message type (fixed sets of both).</summary>
    public IReadOnlyDictionary<(WithholdReason Reason, string Type), long> WithheldByReason => withheldByReason;

    public long RateLimitedBy(RateClass budget) => rateLimited[(int)budget];

    public IEnumerable<(RateClass Budget, long Count)> RateLimitedByBudget =>
        Enum.GetValues<RateClass>().Select(r => (r, rateLimited[(int)r])).Where(x => x.Item2 > 0);

    public IEnumerable<(RejectionReason Reason, long Count)> RejectionsByReason =>
        Enum.GetValues<RejectionReason>().Select(r => (r, rejections[(int)r])).Where(x => x.Item2 > 0);

    /// <summary>The host's running total of <see cref="InboxDropped"/> (the host keeps the inbox; the core only shows it).</summary>
    public void ReportInboxDropped(long total) => InboxDropped = total;

    internal void In(int bytes)
    {
        DatagramsIn++;
        BytesIn += bytes;
    }

    internal void Accepted(string type) => received[type] = received.GetValueOrDefault(type) + 1;

    internal void Rejected(RejectionReason reason, PeerAddress from)
    {
        rejections[(int)reason]++;
        RejectionsSinceSummary++;
        var key = from.Host;
        if (rejectionsBySource.TryGetValue(key, out var n) || rejectionsBySource.Count < MaxRejectionSources)
        {
            rejectionsBySource[key] = n + 1;
        }
        else
        {
            RejectionsFromOtherSources++;
        }
    }

    internal void Out(string type, int bytes)
    {
        DatagramsOut++;
        BytesOut += bytes;
        sent[type] = sent.GetValueOrDefault(type) + 1;
    }

    internal void Oversized() => OversizedRefused++;

    internal void Limited(RateClass budget)
    {
        RateLimited++;
        rateLimited[(int)budget]++;
    }

    internal void Withhold(WithholdReason reason, string type)
    {
        Withheld++;
        withheldByReason[(reason, type)] = withheldByReason.GetValueOrDefault((reason, type)) + 1;
    }
}
