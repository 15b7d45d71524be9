using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Time.Testing;

namespace Aviary.Testing;

/// <summary>
/// Cores and scripted peers on one fake clock, linked by an in-memory network with a fixed latency and
/// optional seeded loss. Deterministic: same setup, same run.
/// </summary>
public sealed class TestNetwork
{
    private readonly PriorityQueue<(PeerAddress From, PeerAddress To, byte[] Bytes), (DateTimeOffset, long)> wire = new();
    private readonly Dictionary<PeerAddress, NodeCore> cores = [];
    private readonly Dictionary<PeerAddress, Func<PeerAddress, Message, IEnumerable<Message>>> scripted = [];
    private readonly Random random;
    private long sequence;

    public TestNetwork(int seed = 7) => random = new Random(seed);

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
    public void AddScripted(PeerAddress address, Func<PeerAddress, Message, IEnumerable<Message>> behaviour) => scripted[address] = behaviour;

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
    public void Run(TimeSpan duration) => FakeClockLoop.Run(Clock, duration, cores.Values, NextDelivery, DeliverDue);

    private void Enqueue(PeerAddress from, PeerAddress to, byte[] bytes)
    {
        if (LossFrom.TryGetValue(from, out var loss) && random.NextDouble() < loss)
        {
            return;
        }

        wire.Enqueue((from, to, bytes), (Clock.GetUtcNow() + Latency, sequence++));
    }

    private DateTimeOffset? NextDelivery() => wire.TryPeek(out _, out var key) ? key.Item1 : null;

    private void DeliverDue()
    {
        while (wire.TryPeek(out var d, out var k) && k.Item1 <= Clock.GetUtcNow())
        {
            wire.Dequeue();
            Deliver(d.From, d.To, d.Bytes);
        }
    }

    private void Deliver(PeerAddress from, PeerAddress to, byte[] bytes)
    {
        var message = MessageDecoder.Decode(bytes).Message;
        Delivered.Add((from, to, message));
        if (cores.TryGetValue(to, out var core))
        {
            core.OnDatagram(from, bytes);
        }
        else if (scripted.TryGetValue(to, out var behaviour) && message is not null)
        {
            var source = RepliesFrom.TryGetValue(to, out var other) ? other : to;
            foreach (var reply in behaviour(from, message))
            {
                Enqueue(source, from, MessageEncoder.Encode(reply));
            }
        }
    }

    private sealed class Link(TestNetwork network, PeerAddress self) : ITransport
    {
        public void Send(PeerAddress to, ReadOnlySpan<byte> datagram) => network.Enqueue(self, to, datagram.ToArray());
    }
}
