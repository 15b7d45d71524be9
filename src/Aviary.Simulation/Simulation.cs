using Aviary.Node;
using Aviary.Simulation.Network;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation;

/// <summary>
/// Many participants in one process, on one thread, under one virtual clock: an event loop, an
/// in-memory network and a trace, all driven from one seed. Nothing here touches a socket, a thread
/// or the wall clock. A participant that throws is recorded as a failure and kept down.
/// </summary>
public sealed class Simulation : IDisposable
{
    private readonly List<SimNode> nodes = [];
    private readonly List<NodeFailure> failures = [];
    private readonly SimRandom master;

    public Simulation(ulong seed, DateTimeOffset? start = null)
    {
        Seed = seed;
        master = new SimRandom(seed);
        Clock = new VirtualClock(start ?? VirtualClock.DefaultStart);
        Loop = new EventLoop(Clock);
        Trace = new TraceHash();
        Network = new SimNetwork(Loop, Trace, master.Fork(), master.NextULong());
        Random = master.Fork();
    }

    public ulong Seed { get; }

    public VirtualClock Clock { get; }

    public EventLoop Loop { get; }

    public SimNetwork Network { get; }

    public TraceHash Trace { get; }

    /// <summary>The scenario's own stream (fault schedule, choices); participants have theirs.</summary>
    public SimRandom Random { get; }

    public IReadOnlyList<SimNode> Nodes => nodes;

    /// <summary>Exceptions thrown by participants (each one a failed run).</summary>
    public IReadOnlyList<NodeFailure> Failures => failures;

    /// <summary>Adds a participant (not started yet) listening on <paramref name="address"/>, its clock off by <paramref name="skew"/>.</summary>
    public SimNode Add(string name, PeerAddress address, ISimPeer peer, TimeSpan skew = default)
    {
        var node = new SimNode(this, nodes.Count, name, address, peer, new SkewedClock(Clock, skew), master.Fork());
        var index = Network.Register(address, node);
        foreach (var alias in peer.Aliases)
        {
            Network.AddAlias(alias, index);
        }

        nodes.Add(node);
        return node;
    }

    /// <summary>Starts <paramref name="node"/> at global time <paramref name="at"/> (now if omitted).</summary>
    public void Start(SimNode node, DateTimeOffset? at = null) => Loop.At(at ?? Loop.Now, () =>
    {
        if (!node.IsUp && !node.Faulted)
        {
            Trace.Event(Loop.Now, $"start {node.Name}");
            node.Up();
        }
    });

    /// <summary>Crashes <paramref name="node"/> now: its timers die, datagrams to it are dropped.</summary>
    public void Crash(SimNode node)
    {
        if (node.IsUp)
        {
            Trace.Event(Loop.Now, $"crash {node.Name}");
            node.Down();
        }
    }

    /// <summary>Restarts a crashed node now (an honest one gets a fresh core over the same store).</summary>
    public void Restart(SimNode node)
    {
        if (!node.IsUp && !node.Faulted)
        {
            Trace.Event(Loop.Now, $"restart {node.Name}");
            node.Up();
        }
    }

    public void RunUntil(DateTimeOffset end, Func<bool>? stop = null) => Loop.RunUntil(end, stop);

    public void RunFor(TimeSpan span) => Loop.RunUntil(Loop.Now + span);

    /// <summary>Runs <paramref name="action"/> for <paramref name="node"/>; an exception becomes a recorded failure and takes the node down.</summary>
    internal void Guard(SimNode node, Action action, byte[]? datagram = null)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures.Add(new NodeFailure(node.Name, node.Peer.Kind, Clock.Elapsed, e, datagram));
            Trace.Event(Loop.Now, $"fault {node.Name} {e.GetType().Name}");
            node.Faulted = true;
            if (node.IsUp)
            {
                node.Down();
            }
        }
    }

    public void Dispose() => Trace.Dispose();
}

/// <summary>A participant threw: who, when (virtual time since start), what, and the datagram it was handling.</summary>
public sealed record NodeFailure(string Node, string Kind, TimeSpan At, Exception Exception, byte[]? Datagram)
{
    public override string ToString()
    {
        var input = Datagram is null ? string.Empty : $" handling {Convert.ToHexStringLower(Datagram.AsSpan(0, Math.Min(Datagram.Length, 200)))}";
        return $"{Node} ({Kind}) threw at +{At.TotalSeconds:F3} s: {Exception.GetType().Name}: {Exception.Message}{input}";
    }
}
