using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Protocol;
using Aviary.Simulation;
using Aviary.Simulation.Network;

using Microsoft.Extensions.Time.Testing;

namespace Aviary.Testing;

/// <summary>
/// Cores and scripted peers on one fake clock, linked by the simulator's in-memory network
/// (<see cref="SimNetwork"/>) with a fixed latency and optional seeded loss per sender. Deterministic:
/// same setup, same run.
/// </summary>
/// <remarks>
/// The cores read <see cref="Clock"/>; <see cref="FakeClockLoop"/> runs their timers and moves it, and
/// the simulator's event loop (on its own virtual clock, kept level with <see cref="Clock"/>) carries
/// the datagrams. Every address a datagram is sent to is routable: one nobody plays is a sink, so
/// <see cref="Delivered"/> shows all traffic.
/// </remarks>
public sealed class TestNetwork
{
    private readonly EventLoop loop;
    private readonly SimNetwork network;
    private readonly Dictionary<PeerAddress, NodeCore> cores = [];
    private readonly Dictionary<PeerAddress, Action<PeerAddress, byte[]>> receivers = [];

    public TestNetwork(int seed = 7)
    {
        loop = new EventLoop(new VirtualClock(Clock.GetUtcNow()));
        network = new SimNetwork(loop, new TraceHash(), new SimRandom((ulong)seed), (ulong)seed);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));

    /// <summary>What every core logged.</summary>
    public ListLogger Log { get; } = new();

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Chance that a datagram sent by the given address is lost.</summary>
    public Dictionary<PeerAddress, double> LossFrom { get; } = [];

    /// <summary>Every datagram delivered, decoded (for asserting on traffic).</summary>
    public List<(PeerAddress From, PeerAddress To, Message? Message)> Delivered { get; } = [];

    /// <summary>Scripted peers that answer from another address than the one they listen on (protocol.md §11).</summary>
    public Dictionary<PeerAddress, PeerAddress> RepliesFrom { get; } = [];

    public NodeCore AddNode(PeerAddress address, IReadOnlyList<Block> chain, NodeOptions? options = null, Action<NodeCore>? configure = null, SyncLimits? limits = null)
    {
        var store = new InMemoryChainStore();
        if (chain.Count > 0)
        {
            store.Append(chain);
        }

        var o = options ?? new NodeOptions { Name = address.ToString(), AdvertisedHost = address.Host, Port = address.Port, Difficulty = TestBlocks.Difficulty, Id = address.ToString() };
        var core = new NodeCore(o, new LocalChain(store, o.Difficulty), new Link(this, address), Clock, Log, new Random(address.Port)) { SyncLimits = limits ?? new() };
        configure?.Invoke(core);
        cores[address] = core;
        Attach(address, (from, bytes) => core.OnDatagram(from, bytes));
        return core;
    }

    /// <summary>
    /// An empty node at <paramref name="me"/> one second into a sync of <paramref name="served"/> from one
    /// slow server (100 ms each way), so that a download is running.
    /// </summary>
    public NodeCore NodeMidSync(PeerAddress me, IReadOnlyList<Block> served)
    {
        var node = AddNode(me, []);
        var server = new PeerAddress("127.0.0.11", 8001);
        AddServer(server, served);
        Latency = TimeSpan.FromMilliseconds(100);
        node.Start();
        Send(server, me, new GossipReply(server.Host, server.Port, "server"));
        Run(TimeSpan.FromSeconds(1.0));
        Assert.NotNull(node.Download);
        return node;
    }

    /// <summary>A peer played by a function: each message it receives yields its replies (sent back to the source).</summary>
    public void AddScripted(PeerAddress address, Func<PeerAddress, Message, IEnumerable<Message>> behaviour) =>
        Attach(address, (from, bytes) =>
        {
            if (MessageDecoder.Decode(bytes).Message is { } message)
            {
                var source = RepliesFrom.TryGetValue(address, out var other) ? other : address;
                foreach (var reply in behaviour(from, message))
                {
                    Enqueue(source, from, MessageEncoder.Encode(reply));
                }
            }
        });

    /// <summary>A scripted peer that serves <paramref name="chain"/> honestly and claims <paramref name="claim"/> (default: its length and top).</summary>
    public void AddServer(PeerAddress address, IReadOnlyList<Block> chain, StatsReply? claim = null, Func<long, Block?>? serve = null) =>
        AddScripted(address, (_, m) => m switch
        {
            Stats => [claim ?? new StatsReply(chain.Count, chain.Count == 0 ? null : chain[^1].Hash)],
            GetBlock { Height: { } h } => [(serve is null ? (h >= 0 && h < chain.Count ? chain[(int)h] : null) : serve(h)) is { } b ? new GetBlockReply(b) : GetBlockReply.Missing],
            GetBlock => [GetBlockReply.Missing],
            _ => [],
        });

    public void Send(PeerAddress from, PeerAddress to, Message message) => Enqueue(from, to, MessageEncoder.Encode(message));

    /// <summary>Delivers datagrams and runs timers in time order for <paramref name="duration"/> (virtual).</summary>
    public void Run(TimeSpan duration) => FakeClockLoop.Run(Clock, duration, cores.Values, () => loop.NextAt, () => loop.RunUntil(Clock.GetUtcNow()));

    private void Enqueue(PeerAddress from, PeerAddress to, byte[] bytes)
    {
        // Outside a delivery nothing due by now is left on the wire, so this only brings the network's
        // clock level with the cores' (timers and tests move the fake clock between deliveries).
        if (loop.Now < Clock.GetUtcNow())
        {
            loop.RunUntil(Clock.GetUtcNow());
        }

        var sender = Route(from);
        var target = Route(to);
        network.SetLink(sender, target, new LinkProfile(LossFrom.GetValueOrDefault(from), 0, Latency, TimeSpan.Zero));
        network.Send(sender, from, to, bytes);
    }

    private void Attach(PeerAddress address, Action<PeerAddress, byte[]> receive)
    {
        Route(address);
        receivers[address] = receive;
    }

    /// <summary>The network's index for <paramref name="address"/>, registering it (a sink until someone plays it) on first use.</summary>
    private int Route(PeerAddress address) => network.Resolve(address) ?? network.Register(address, new Endpoint(this, address));

    private void Arrive(PeerAddress from, PeerAddress to, byte[] bytes)
    {
        Delivered.Add((from, to, MessageDecoder.Decode(bytes).Message));
        receivers.GetValueOrDefault(to)?.Invoke(from, bytes);
    }

    private sealed class Endpoint(TestNetwork network, PeerAddress address) : INetworkEndpoint
    {
        public string Name => address.ToString();

        public bool IsUp => true;

        public void Deliver(PeerAddress from, byte[] datagram) => network.Arrive(from, address, datagram);
    }

    private sealed class Link(TestNetwork network, PeerAddress self) : ITransport
    {
        public void Send(PeerAddress to, ReadOnlySpan<byte> datagram) => network.Enqueue(self, to, datagram.ToArray());
    }
}
