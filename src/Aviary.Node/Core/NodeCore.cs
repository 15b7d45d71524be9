using Aviary.Chain;
using Aviary.Node.Limits;
using Aviary.Node.Membership;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>
/// The sans-I/O peer: takes datagrams and timer ticks, answers through an <see cref="ITransport"/>.
/// Single-threaded: every method must be called from the host's one core thread.
/// </summary>
public sealed partial class NodeCore
{
    private readonly ITransport transport;
    private readonly ILogger logger;
    private readonly byte[] sendBuffer = new byte[WireLimits.MaxOutboundDatagram];
    private long summarisedRateLimited;
    private long summarisedWithheld;

    public NodeCore(NodeOptions options, LocalChain chain, ITransport transport, TimeProvider time, ILogger logger, Random random)
    {
        Options = options;
        Chain = chain;
        this.transport = transport;
        this.logger = logger;
        Random = random;
        Events = new EventQueue(time);
        Seen = new SeenIds(options.SeenIdLifetime);
        StartTally();
        RateLimiter = new SourceRateLimiter(options.RateLimits);
        Guard = new AddressGuard(options.Bootstrap.Concat(options.Trusted), options.ResponseLimits);
        Pacer = new ReplyPacer(options.Pacing);
        committedCount = chain.Count;
        chain.Changed += OnCommitted;
    }

    public NodeOptions Options { get; }

    public LocalChain Chain { get; }

    public EventQueue Events { get; }

    public PeerTable Peers { get; } = new();

    public SeenIds Seen { get; }

    public NodeCounters Counters { get; } = new();

    public Random Random { get; }

    /// <summary>Our own address as we advertise it.</summary>
    public PeerAddress Self => new(Options.AdvertisedHost, Options.Port);

    /// <summary>Raised for each accepted message, after the core handled it (dashboards, tests, the prober).</summary>
    public event Action<PeerAddress, Message>? MessageHandled;

    /// <summary>Schedules the recurring work and joins through the bootstrap peers.</summary>
    public void Start()
    {
        logger.LogInformation("node {Name} ({Id}) advertising {Self}, difficulty {Difficulty}, chain {Count} blocks", Options.Name, Options.Id, Self, Options.Difficulty, Chain.Count);
        StartMembership();
        StartSync();
        Events.Every(Options.RejectionSummaryInterval, SummariseRejections);
    }

    /// <summary>Runs every timer that is due. The host calls this whenever <see cref="EventQueue.NextDue"/> passes.</summary>
    public int RunDue() => Events.RunDue();

    /// <summary>
    /// One datagram from <paramref name="from"/> (its UDP source address). Charged to its source's rate
    /// budget before it is decoded, and to its type's budget after; past either it is dropped silently
    /// and counted.
    /// </summary>
    public void OnDatagram(PeerAddress from, ReadOnlySpan<byte> datagram)
    {
        Counters.In(datagram.Length);
        var now = Events.Now;
        if (RateLimiter.AdmitDatagram(from, datagram.Length, now, out var source) is { } spent)
        {
            Counters.Limited(spent);
            return;
        }

        Guard.Received(from, now);
        var result = MessageDecoder.Decode(datagram);
        if (result.Message is not { } message)
        {
            Counters.Rejected(result.Rejection!.Reason, from);
            return;
        }

        if (SourceRateLimiter.ClassOf(message) is { } cls && !RateLimiter.AdmitMessage(source, cls, now))
        {
            Counters.Limited(cls);
            return;
        }

        Counters.Accepted(message.Type);
        Peers.Heard(from, now);
        NoteAnswer(from, message, now);
        switch (message)
        {
            case Gossip g:
                OnGossip(from, g, datagram);
                break;
            case GossipReply r:
                OnGossipReply(from, r);
                break;
            case Stats:
                Reply(from, new StatsReply(Chain.Count, Chain.TopHash));
                break;
            case GetBlock g:
                OnGetBlock(from, g, now);
                break;
            default:
                OnChainMessage(from, message);
                break;
        }

        MessageHandled?.Invoke(from, message);
    }

    /// <summary>
    /// Encodes and sends; a message over 1024 bytes is refused and counted, never sent truncated. False
    /// also when the amplification guard withholds it (see <see cref="AddressGuard"/>).
    /// </summary>
    public bool Send(PeerAddress to, Message message)
    {
        if (!MessageEncoder.TryEncode(message, sendBuffer, out var n))
        {
            Counters.Oversized();
            logger.LogWarning("refused to send {Type} to {To}: over {Limit} bytes", message.Type, to, WireLimits.MaxOutboundDatagram);
            return false;
        }

        return SendRaw(to, message.Type, sendBuffer.AsSpan(0, n), OutboundOf(message));
    }

    private bool SendRaw(PeerAddress to, string type, ReadOnlySpan<byte> datagram, Outbound kind)
    {
        if (Guard.Admit(to, datagram.Length, kind, Events.Now) is { } reason)
        {
            Counters.Withhold(reason, type);
            if (kind is Outbound.StatsRequest or Outbound.BlockRequest)
            {
                // A peer we ask has not proven itself yet: let it. (A client that only asks us gets
                // nothing it did not ask for: answers withheld never bring a challenge.)
                Challenge(to);
            }

            return false;
        }

        Counters.Out(type, datagram.Length);
        transport.Send(to, datagram);
        return true;
    }

    private void Reply(PeerAddress to, Message message) => Send(to, message);

    private void SummariseRejections()
    {
        if (Counters.RateLimited != summarisedRateLimited || Counters.Withheld != summarisedWithheld)
        {
            logger.LogInformation(
                "flood defences in the last {Interval}: {Limited} datagrams rate-limited; {Withheld} sends to unproven addresses withheld; totals: rate-limited {ByBudget}; withheld {ByReason}",
                Options.RejectionSummaryInterval,
                Counters.RateLimited - summarisedRateLimited,
                Counters.Withheld - summarisedWithheld,
                Counters.RateLimited == 0 ? "none" : string.Join(", ", Counters.RateLimitedByBudget.Select(r => $"{r.Budget} {r.Count}")),
                Counters.Withheld == 0 ? "none" : string.Join(", ", Counters.WithheldByReason.OrderBy(w => w.Key.Reason).ThenBy(w => w.Key.Type, StringComparer.Ordinal).Select(w => $"{w.Key.Reason} {w.Key.Type} {w.Value}")));
            summarisedRateLimited = Counters.RateLimited;
            summarisedWithheld = Counters.Withheld;
        }

        if (Counters.RejectionsSinceSummary == 0)
        {
            return;
        }

        var byReason = string.Join(", ", Counters.RejectionsByReason.Select(r => $"{r.Reason} {r.Count}"));
        logger.LogInformation("rejected {Count} datagrams in the last {Interval}; totals: {ByReason}", Counters.RejectionsSinceSummary, Options.RejectionSummaryInterval, byReason);
        Counters.RejectionsSinceSummary = 0;
    }
}
