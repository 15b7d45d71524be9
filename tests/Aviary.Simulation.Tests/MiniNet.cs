using Aviary.Node;
using Aviary.Protocol;
using Aviary.Simulation.Checks;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Tests;

/// <summary>A small simulation for focused tests: honest nodes joined through the first, a probe, a safety monitor.</summary>
internal sealed class MiniNet : IDisposable
{
    public static readonly PeerAddress ProbeAddress = new("10.7.0.1", 8999);

    public MiniNet(ulong seed = 1)
    {
        Simulation = new Simulation(seed);
        Safety = new SafetyMonitor(Simulation);
        ProbeNode = Simulation.Add("probe", ProbeAddress, Probe);
    }

    public Simulation Simulation { get; }

    public SafetyMonitor Safety { get; }

    public RecorderPeer Probe { get; } = new();

    public SimNode ProbeNode { get; }

    public List<(SimNode Node, HonestPeer Peer)> Honest { get; } = [];

    public static PeerAddress HonestAddress(int i) => new($"10.5.0.{i + 1}", 8999);

    /// <summary>Adds honest node number <see cref="Honest"/>.Count, joining through node 0.</summary>
    public (SimNode Node, HonestPeer Peer) AddHonest(IReadOnlyList<Block>? chain = null, Quirks quirks = Quirks.None, TimeSpan skew = default)
    {
        var i = Honest.Count;
        var address = HonestAddress(i);
        var options = new NodeOptions
        {
            Name = $"n{i}",
            Id = $"n{i}",
            AdvertisedHost = address.Host,
            Port = address.Port,
            Bootstrap = i == 0 ? [] : [HonestAddress(0)],
            Difficulty = 1,

            // The test's probe asks nodes directly without joining: trust it, as an operator would.
            Trusted = [ProbeAddress],
        };
        var peer = new HonestPeer(options, chain ?? [], quirks);
        var node = Simulation.Add($"n{i}", address, peer, skew);
        Safety.Watch(node.Name, peer);
        Honest.Add((node, peer));
        return (node, peer);
    }

    public SimNode Add(string name, PeerAddress address, ISimPeer peer) => Simulation.Add(name, address, peer);

    /// <summary>Starts everyone added so far (each at most once).</summary>
    public void StartAll()
    {
        foreach (var node in Simulation.Nodes.Where(n => n.Generation == 0))
        {
            Simulation.Start(node);
        }
    }

    public void Run(TimeSpan span) => Simulation.RunFor(span);

    /// <summary>No safety violation, no participant threw.</summary>
    public void AssertHealthy()
    {
        Assert.Empty(Simulation.Failures);
        Assert.Empty(Safety.Violations);
    }

    public void Dispose() => Simulation.Dispose();
}
