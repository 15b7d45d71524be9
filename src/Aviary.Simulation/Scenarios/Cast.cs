using System.Globalization;

using Aviary.Node;
using Aviary.Protocol;
using Aviary.Simulation.Adversaries;
using Aviary.Simulation.Chains;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Scenarios;

/// <summary>
/// Who is in a scenario and what they start with. One honest node (the origin, also the miner)
/// holds the reference chain; the others start empty, with a prefix of it, or with a shorter fork.
/// Honest node 0 is the well-known host everyone joins through. Adversaries are cast in a fixed
/// order; a passive bystander is the reflection abuser's victim.
/// </summary>
public sealed class Cast
{
    /// <summary>The order adversaries are cast in (the standard scenario's six are one of each).</summary>
    public static readonly string[] AdversaryKinds = ["liar", "mallory", "staller", "garbage", "flooder", "reflector"];

    private Cast(Simulation simulation)
    {
        Simulation = simulation;
    }

    public Simulation Simulation { get; }

    /// <summary>The valid chain the origin starts with.</summary>
    public IReadOnlyList<Block> Reference { get; private set; } = [];

    public List<(SimNode Node, HonestPeer Peer)> Honest { get; } = [];

    public List<(SimNode Node, Adversary Peer)> Adversaries { get; } = [];

    /// <summary>Honest node holding <see cref="Reference"/>, and the one that mines.</summary>
    public HonestPeer Origin { get; private set; } = null!;

    /// <summary>The origin's slot.</summary>
    public SimNode OriginNode { get; private set; } = null!;

    /// <summary>The reflection victim (a recorder nobody else knows of).</summary>
    public RecorderPeer Bystander { get; } = new();

    public static PeerAddress HonestAddress(int i) => new($"10.0.0.{i + 1}", 8999);

    public static PeerAddress AdversaryAddress(int i) => new($"10.0.1.{i + 1}", 8999);

    public static readonly PeerAddress BystanderAddress = new("10.0.2.1", 8999);

    /// <summary>Builds the cast for <paramref name="options"/> into <paramref name="simulation"/> (nothing started).</summary>
    public static Cast Build(Simulation simulation, ScenarioOptions options)
    {
        var cast = new Cast(simulation);
        var r = simulation.Random;
        var seedTag = options.Seed.ToString(CultureInfo.InvariantCulture);
        cast.Reference = ChainFactory.Build(options.ChainLength, $"origin-{seedTag}", options.Difficulty);
        var originIndex = r.Next(options.Honest);
        var quirky = (int)Math.Round(options.Honest * options.QuirkyShare);
        var quirkyIndexes = Enumerable.Range(0, options.Honest).ToList();
        r.Shuffle(quirkyIndexes);
        quirkyIndexes = quirkyIndexes.Take(quirky).ToList();
        var bootstrap = new List<PeerAddress> { HonestAddress(0) };
        for (var i = 0; i < options.Honest; i++)
        {
            var name = $"h{i:00}";
            var (chain, startedWith) = i == originIndex ? ([.. cast.Reference], $"with the reference chain ({options.ChainLength})") : InitialChain(r, cast.Reference, name, options.Difficulty);
            var nodeOptions = new NodeOptions
            {
                Name = name,
                Id = name,
                AdvertisedHost = HonestAddress(i).Host,
                Port = HonestAddress(i).Port,
                Bootstrap = i == 0 ? [] : bootstrap,
                Difficulty = options.Difficulty,
            };
            var quirks = quirkyIndexes.Contains(i) ? (Quirks)r.Next(1, 8) : Quirks.None;
            var peer = new HonestPeer(nodeOptions, chain, quirks, startedWith);
            if (options.Log is { } log && options.LogNodes.Contains(name))
            {
                peer.Logger = new SimLogger(name, simulation.Clock, log);
            }

            var node = simulation.Add(name, HonestAddress(i), peer, Skew(r, options));
            cast.Honest.Add((node, peer));
            if (i == originIndex)
            {
                cast.Origin = peer;
                cast.OriginNode = node;
            }
        }

        for (var j = 0; j < options.Byzantine; j++)
        {
            var kind = AdversaryKinds[j % AdversaryKinds.Length];
            var name = j < AdversaryKinds.Length ? kind : $"{kind}{(j / AdversaryKinds.Length) + 1}";
            Adversary adversary = kind switch
            {
                "liar" => new HeightLiar(bootstrap, options.Difficulty),
                "mallory" => new InvalidChainServer(bootstrap, ChainFactory.Prefix(cast.Reference, r.Next(options.ChainLength / 2, options.ChainLength + 1)), (BadBlock)r.Next(Enum.GetValues<BadBlock>().Length), options.ChainLength, r.Next(5, 50), options.Difficulty),
                "staller" => new Staller(bootstrap),
                "garbage" => new GarbageSender(bootstrap),
                "flooder" => new GossipFlooder(bootstrap, options.FloodInterval),
                _ => new ReflectionAbuser(bootstrap, BystanderAddress, options.ReflectionInterval),
            };
            cast.Adversaries.Add((simulation.Add(name, AdversaryAddress(j), adversary, Skew(r, options)), adversary));
        }

        simulation.Add("bystander", BystanderAddress, cast.Bystander);
        return cast;
    }

    private static (List<Block> Chain, string StartedWith) InitialChain(SimRandom r, IReadOnlyList<Block> reference, string name, int difficulty)
    {
        var roll = r.NextDouble();
        if (roll < 0.35 || reference.Count < 2)
        {
            return ([], "empty");
        }

        if (roll < 0.7)
        {
            var length = r.Next(1, reference.Count);
            return (ChainFactory.Prefix(reference, length), $"with a prefix ({length})");
        }

        var common = r.Next(0, reference.Count - 1);
        var branch = r.Next(1, reference.Count - common);
        return (ChainFactory.Fork(reference, common, branch, $"fork-{name}", difficulty), $"with a fork ({common}+{branch})");
    }

    private static TimeSpan Skew(SimRandom r, ScenarioOptions options) =>
        r.Between(-options.MaxClockSkew, options.MaxClockSkew);
}
