using Aviary.Node;
using Aviary.Node.Limits;
using Aviary.Simulation.Peers;

namespace Aviary.Testing.Transports;

/// <summary>
/// The simulated transport: every endpoint a participant of one <see cref="Simulation.Simulation"/>
/// (cores are <see cref="HonestPeer"/>s, clients are <see cref="RecorderPeer"/>s) on its in-memory
/// network with calm links, on one thread and a virtual clock.
/// </summary>
public sealed class SimTransportBed : ITransportBed
{
    /// <summary>Virtual time a wait may take.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly Simulation.Simulation simulation = new(seed: 1);
    private readonly SemaphoreSlim changed = new(0);
    private int participants;

    public IBedClient OpenClient()
    {
        var peer = new RecorderPeer();
        var address = Join("client", peer);
        return new Client(address, peer);
    }

    public IBedNode StartNode(string name, IReadOnlyList<PeerAddress> trusted)
    {
        var address = NextAddress();
        var options = new NodeOptions { Name = name, Id = name, AdvertisedHost = address.Host, Port = address.Port, Difficulty = 1, Trusted = trusted, RateLimits = RateLimits.Unlimited };
        var peer = new HonestPeer(options, []);
        var node = new BedNode(address, work => work(), () => peer.Core!, changed);
        peer.CoreCreated += p => p.Core!.MessageHandled += node.Record;
        Join(name, peer, address);
        return node;
    }

    public Task<bool> RunUntilAsync(Func<bool> done)
    {
        if (!done())
        {
            simulation.RunUntil(simulation.Loop.Now + Bound, done);
        }

        return Task.FromResult(done());
    }

    public ValueTask DisposeAsync()
    {
        simulation.Dispose();
        changed.Dispose();
        return ValueTask.CompletedTask;
    }

    private PeerAddress NextAddress() => new($"10.0.0.{participants + 1}", 8000 + participants);

    private PeerAddress Join(string name, ISimPeer peer, PeerAddress? address = null)
    {
        var at = address ?? NextAddress();
        var node = simulation.Add($"{name}{participants++}", at, peer);
        simulation.Start(node);
        simulation.RunFor(TimeSpan.Zero);
        return at;
    }

    private sealed class Client(PeerAddress address, RecorderPeer peer) : IBedClient
    {
        public PeerAddress Address { get; } = address;

        public IReadOnlyList<(PeerAddress From, byte[] Bytes)> Received => [.. peer.Datagrams.Select(d => (d.From, d.Bytes))];

        public void Send(PeerAddress to, byte[] datagram) => peer.Send(to, datagram);
    }
}
