using Aviary.Node;

namespace Aviary.Simulation.Peers;

/// <summary>
/// One life of one participant: its address, its skewed clock, its random stream, and its ways to
/// send and to schedule. Timers scheduled through a context die when the participant crashes.
/// </summary>
public sealed class PeerContext : ITransport
{
    private readonly Simulation simulation;
    private readonly SimNode node;
    private readonly int generation;

    internal PeerContext(Simulation simulation, SimNode node, int generation)
    {
        this.simulation = simulation;
        this.node = node;
        this.generation = generation;
    }

    public PeerAddress Address => node.Address;

    public string Name => node.Name;

    /// <summary>This participant's view of the virtual clock (with its skew).</summary>
    public SkewedClock Clock => node.Clock;

    /// <summary>This participant's own random stream (kept across restarts).</summary>
    public SimRandom Random => node.Random;

    /// <summary>Global virtual time (no skew).</summary>
    public DateTimeOffset Now => simulation.Loop.Now;

    /// <summary>False once the participant crashed after this context was made.</summary>
    public bool IsCurrent => node.IsUp && node.Generation == generation;

    /// <summary>Sends from our own address.</summary>
    public void Send(PeerAddress to, ReadOnlySpan<byte> datagram) => SendAs(Address, to, datagram);

    /// <summary>Sends claiming <paramref name="source"/> as the source address (a second socket, or a spoof).</summary>
    public void SendAs(PeerAddress source, PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        if (IsCurrent)
        {
            simulation.Network.Send(node.Index, source, to, datagram);
        }
    }

    /// <summary>Runs <paramref name="action"/> at global time <paramref name="at"/>, unless we crash first.</summary>
    public void At(DateTimeOffset at, Action action) => simulation.Loop.At(at, () =>
    {
        if (IsCurrent)
        {
            simulation.Guard(node, action);
        }
    });

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/>, unless we crash first.</summary>
    public void After(TimeSpan delay, Action action) => At(Now + delay, action);

    /// <summary>Runs <paramref name="action"/> every <paramref name="period"/> (first after <paramref name="first"/>) until we crash.</summary>
    public void Every(TimeSpan period, Action action, TimeSpan? first = null)
    {
        void Tick()
        {
            action();
            After(period, Tick);
        }

        After(first ?? period, Tick);
    }
}
