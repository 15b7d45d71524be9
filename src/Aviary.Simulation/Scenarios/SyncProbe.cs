using Aviary.Node;
using Aviary.Simulation.Chains;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Scenarios;

/// <summary>
/// Asks the core, by experiment, whether it can sync at all: on a calm network, a node that starts
/// empty beside one that holds a chain should hold that chain within the liveness bound. Until the
/// core has a sync component it cannot, and liveness verdicts of the full scenarios say nothing new.
/// </summary>
public static class SyncProbe
{
    /// <summary>Blocks the holder starts with.</summary>
    public const int ChainLength = 30;

    /// <summary>True when the empty node caught up within <paramref name="bound"/>; <paramref name="detail"/> says where it got to.</summary>
    public static bool CoreCanSync(TimeSpan bound, out string detail)
    {
        using var simulation = new Simulation(seed: 1);
        var chain = ChainFactory.Build(ChainLength, "probe", 1);
        var holderAddress = new PeerAddress("10.9.0.1", 8999);
        var holder = new HonestPeer(Options("holder", holderAddress, []), chain);
        var empty = new HonestPeer(Options("empty", new PeerAddress("10.9.0.2", 8999), [holderAddress]), []);
        simulation.Start(simulation.Add("holder", holderAddress, holder));
        simulation.Start(simulation.Add("empty", new PeerAddress("10.9.0.2", 8999), empty));
        simulation.RunFor(bound);
        var caughtUp = empty.Chain.Count == chain.Count && empty.Chain.TopHash == chain[^1].Hash;
        detail = $"after {bound.TotalSeconds:F0} s on a calm network the empty node holds {empty.Chain.Count} of the holder's {chain.Count} blocks{(simulation.Failures.Count > 0 ? $"; {simulation.Failures[0]}" : string.Empty)}";
        return caughtUp;
    }

    private static NodeOptions Options(string name, PeerAddress address, IReadOnlyList<PeerAddress> bootstrap) => new()
    {
        Name = name,
        Id = name,
        AdvertisedHost = address.Host,
        Port = address.Port,
        Bootstrap = bootstrap,
        Difficulty = 1,
    };
}
