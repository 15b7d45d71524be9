using Aviary.Chain;
using Aviary.Node.Limits;
using Aviary.Node.Membership;
using Aviary.Node.Mining;
using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>
/// The sans-I/O peer: takes datagrams and timer ticks, answers through an <see cref="ITransport"/>.
/// A router: a datagram is charged to its source's rate budget, decoded, charged to its type's budget
/// and dispatched to the service that owns it; a send is encoded, checked by the amplification guard
/// and handed to the transport. The services (<see cref="GossipMembership"/>, <see cref="AddressProof"/>,
/// <see cref="ConsensusRound"/>, <see cref="ChainSync"/>, <see cref="BlockServing"/>, <see cref="MiningLink"/>)
/// own their state and timers and reach the core through <see cref="INodeContext"/>.
/// Single-threaded: every method must be called from the host's one core thread.
/// </summary>
public sealed class NodeCore : INodeContext
{
    private readonly ITransport transport;
    private readonly ILogger logger;
    private readonly byte[] sendBuffer = new byte[WireLimits.MaxOutboundDatagram];
    private readonly EventQueue events;
    private readonly SelfAddress self;
    private readonly PeerReputation reputation = new();
    private readonly BlockServing serving;
    private readonly RejectionSummary rejections;
    private readonly StatsRefresh refresh;

    public NodeCore(NodeOptions options, LocalChain chain, ITransport transport, TimeProvider time, ILogger logger, Random random)
    {
        Options = options;
        Chain = chain;
        this.transport = transport;
        this.logger = logger;
        Random = random;
        events = new EventQueue(time);
        self = new SelfAddress(transport, options);
        Proof = new AddressProof(this, self, ListenerOf);
        Membership = new GossipMembership(this, self, Proof);
        Proof.Attach(Membership);
        Sync = new ChainSync(this, Membership, Proof, reputation, reason => Consensus!.StartConsensus(reason));
        Consensus = new ConsensusRound(this, Membership, Sync);
        refresh = new StatsRefresh(this, Membership, Consensus);
        MiningLink = new MiningLink(this, Membership, Sync);
        RateLimiter = new SourceRateLimiter(options.RateLimits);
        serving = new BlockServing(this);
        rejections = new RejectionSummary(this);
        _ = new CommitLog(chain, logger);
    }

    public NodeOptions Options { get; }

    public LocalChain Chain { get; }

    /// <summary>The core's timers, read-only: hosts wait for <see cref="IEventQueueView.NextDue"/>.</summary>
    public IEventQueueView Events => events;

    public NodeCounters Counters { get; } = new();

    public Random Random { get; }

    public SyncLimits SyncLimits { get; init; } = new();

    /// <summary>Our own address as we advertise it.</summary>
    public PeerAddress Self => new(Options.AdvertisedHost, Options.Port);

    public GossipMembership Membership { get; }

    public AddressProof Proof { get; }

    public ConsensusRound Consensus { get; }

    public ChainSync Sync { get; }

    public MiningLink MiningLink { get; }

    /// <summary>Per-source token buckets, charged in <see cref="OnDatagram"/>.</summary>
    internal SourceRateLimiter RateLimiter { get; }

    public IPeerView Peers => Membership.Peers;

    public ISeenIdsView Seen => Membership.Seen;

    internal AddressGuard Guard => Proof.Guard;

    internal ReplyPacer Pacer => serving.Pacer;

    public PeerReputation Reputation => reputation;

    public string? LastGossipId => Membership.LastGossipId;

    public BlockDownload? Download => Sync.Download;

    public SyncReport? LastSync => Sync.LastSync;

    public long StaleAnnounces => Sync.StaleAnnounces;

    public bool ConsensusRunning => Consensus.Running;

    internal WordQueue Words => MiningLink.Words;

    internal MinerTally MinerTally => MiningLink.MinerTally;

    public MiningCoordinator? Mining { get => MiningLink.Mining; internal set => MiningLink.Mining = value; }

    DateTimeOffset INodeContext.Now => events.Now;

    EventQueue INodeContext.Events => events;

    ILogger INodeContext.Logger => logger;

    /// <summary>Raised for each accepted message, after the core handled it (dashboards, tests, the prober).</summary>
    public event Action<PeerAddress, Message>? MessageHandled;

    /// <summary>Raised when a NEW_WORD arrives, after it was offered to <see cref="Words"/>.</summary>
    public event Action<string>? WordReceived { add => MiningLink.WordReceived += value; remove => MiningLink.WordReceived -= value; }

    /// <summary>Schedules the recurring work and joins through the bootstrap peers.</summary>
    public void Start()
    {
        logger.LogInformation("node {Name} ({Id}) advertising {Self}, difficulty {Difficulty}, chain {Count} blocks", Options.Name, Options.Id, Self, Options.Difficulty, Chain.Count);
        Membership.Start();
        Consensus.Start();
        refresh.Start();
        rejections.Start();
    }

    /// <summary>Runs every timer that is due. The host calls this whenever <see cref="IEventQueueView.NextDue"/> passes.</summary>
    public int RunDue() => events.RunDue();

    /// <summary>A host timer: runs <paramref name="action"/> on the core thread every <paramref name="period"/> of the core's time.</summary>
    public ScheduledEvent Every(TimeSpan period, Action action) => events.Every(period, action);

    /// <summary>A host timer: runs <paramref name="action"/> on the core thread once, after <paramref name="delay"/> of the core's time.</summary>
    public ScheduledEvent After(TimeSpan delay, Action action) => events.After(delay, action);

    /// <summary>A host timer: runs <paramref name="action"/> on the core thread once, at <paramref name="at"/> (or at once if that has passed).</summary>
    public ScheduledEvent At(DateTimeOffset at, Action action) => events.At(at, action);

    public bool IsProven(PeerAddress address) => Proof.IsProven(address);

    public bool Challenge(PeerAddress to) => Proof.Challenge(to);

    public string HostFor(PeerAddress to) => self.HostFor(to);

    public bool IsSelf(PeerAddress address) => self.IsSelf(address);

    public void GossipRound() => Membership.GossipRound();

    public bool StartConsensus(string reason) => Consensus.StartConsensus(reason);

    public bool IsMisbehaving(PeerAddress peer) => reputation.IsMisbehaving(peer, events.Now);

    public bool IsBadClaim(ChainClaim claim) => Sync.IsBadClaim(claim);

    public BlockVerdict OfferBlock(PeerAddress from, Block block) => Sync.OfferBlock(from, block);

    public BlockVerdict SubmitMined(Block block) => MiningLink.SubmitMined(block);

    public int AnnounceBlock(Block block) => MiningLink.AnnounceBlock(block);

    /// <summary>How full every bounded table is now (call on the core thread).</summary>
    public TableSizes Tables() => CoreStatus.Tables(this);

    /// <summary>A copy of what the node knows now. Call on the core thread (the host's Post).</summary>
    public NodeStatus Snapshot() => CoreStatus.Snapshot(this);

    /// <summary>
    /// One datagram from <paramref name="from"/> (its UDP source address). Charged to its source's rate
    /// budget before it is decoded, and to its type's budget after; past either it is dropped silently
    /// and counted.
    /// </summary>
    public void OnDatagram(PeerAddress from, ReadOnlySpan<byte> datagram)
    {
        Counters.In(datagram.Length);
        var now = events.Now;
        if (RateLimiter.AdmitDatagram(from, datagram.Length, now, out var source) is { } spent)
        {
            Counters.Limited(spent);
            return;
        }

        Proof.Guard.Received(from, now);
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
        Membership.Table.Heard(from, now);
        Proof.NoteAnswer(from, message, now);
        Dispatch(from, message, datagram, now);
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

        return SendRaw(to, message.Type, sendBuffer.AsSpan(0, n), AddressProof.OutboundOf(message));
    }

    bool INodeContext.SendRaw(PeerAddress to, string type, ReadOnlySpan<byte> datagram, Outbound kind) => SendRaw(to, type, datagram, kind);

    private bool SendRaw(PeerAddress to, string type, ReadOnlySpan<byte> datagram, Outbound kind)
    {
        if (Proof.Guard.Admit(to, datagram.Length, kind, events.Now) is { } reason)
        {
            Counters.Withhold(reason, type);
            if (kind is Outbound.StatsRequest or Outbound.BlockRequest)
            {
                // A peer we ask has not proven itself yet: let it. (A client that only asks us gets
                // nothing it did not ask for: answers withheld never bring a challenge.)
                Proof.Challenge(to);
            }

            return false;
        }

        Counters.Out(type, datagram.Length);
        transport.Send(to, datagram);
        return true;
    }

    private void Dispatch(PeerAddress from, Message message, ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        switch (message)
        {
            case Gossip g:
                Membership.OnGossip(from, g, datagram);
                break;
            case GossipReply r:
                Membership.OnGossipReply(from, r);
                break;
            case Stats:
                serving.OnStats(from);
                break;
            case GetBlock g:
                serving.OnGetBlock(from, g, now);
                break;
            case Announce a:
                Sync.OnAnnounce(from, a.Block);
                break;
            case StatsReply s:
                Consensus.OnStatsReply(from, s);
                refresh.OnStatsReply(from, s);
                break;
            case GetBlockReply r:
                Sync.OnGetBlockReply(from, r);
                break;
            case Protocol.Consensus:
                Counters.ConsensusRequests++;
                var started = Consensus.StartConsensus($"CONSENSUS from {from}");
                logger.LogInformation("CONSENSUS requested by {From}: {What}", from, started ? "started a round" : "absorbed by the running one");
                break;
            case NewWord w:
                MiningLink.OnNewWord(w.Word);
                break;
        }
    }

    /// <summary>
    /// Where the sender of an answer listens, when the request it answers says so (real peers answer
    /// from another socket, protocol.md §11): the peer this consensus round (or the last claim refresh)
    /// asked on its host, or the download's peer on its host.
    /// </summary>
    private PeerAddress? ListenerOf(PeerAddress from, Message message) => message switch
    {
        StatsReply => Consensus.AskedPeer(from) ?? refresh.AskedPeer(from),
        GetBlockReply => Sync.Download?.SourceOf(from),
        _ => null,
    };
}
