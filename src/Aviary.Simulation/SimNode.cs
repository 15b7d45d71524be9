using Aviary.Node;
using Aviary.Simulation.Network;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation;

/// <summary>A slot in the simulation: one participant, its address, clock and random stream, and whether it runs.</summary>
public sealed class SimNode : INetworkEndpoint
{
    private readonly Simulation simulation;

    internal SimNode(Simulation simulation, int index, string name, PeerAddress address, ISimPeer peer, SkewedClock clock, SimRandom random)
    {
        this.simulation = simulation;
        Index = index;
        Name = name;
        Address = address;
        Peer = peer;
        Clock = clock;
        Random = random;
    }

    public int Index { get; }

    public string Name { get; }

    public PeerAddress Address { get; }

    public ISimPeer Peer { get; }

    public SkewedClock Clock { get; }

    public SimRandom Random { get; }

    public bool IsUp { get; private set; }

    /// <summary>Set when the participant threw: it stays down for the rest of the run.</summary>
    public bool Faulted { get; internal set; }

    /// <summary>How many times it was started (1 + restarts).</summary>
    public int Generation { get; private set; }

    public void Deliver(PeerAddress from, byte[] datagram) => simulation.Guard(this, () => Peer.Receive(from, datagram), datagram);

    internal void Up()
    {
        Generation++;
        IsUp = true;
        var context = new PeerContext(simulation, this, Generation);
        simulation.Guard(this, () => Peer.Start(context));
    }

    internal void Down()
    {
        IsUp = false;
        Peer.Stop();
    }

    public override string ToString() => $"{Name} ({Peer.Kind}, {Address})";
}
