using System.Globalization;

using Aviary.Simulation.Network;

namespace Aviary.Simulation.Scenarios;

/// <summary>
/// Schedules a scenario's faults on the event loop, all drawn from the simulation's seed: lossy,
/// duplicating, jittery links; partitions that split the network and heal link by link in random
/// order; single links cut one by one and restored in random order; crashes and restarts; the
/// honest miner's blocks. At the end of the fault phase everything heals.
/// </summary>
public sealed class FaultPlan(Simulation simulation, Cast cast, ScenarioOptions options)
{
    private readonly SimRandom r = simulation.Random.Fork();
    private readonly DateTimeOffset start = simulation.Loop.Now;

    /// <summary>What was scheduled, in words (for reports).</summary>
    public List<string> Log { get; } = [];

    /// <summary>Blocks the miner mined and announced.</summary>
    public int Mined { get; private set; }

    public void Schedule()
    {
        var f = options.FaultPhase;
        if (f > TimeSpan.Zero)
        {
            simulation.Network.Faults = new LinkFaults
            {
                MaxLoss = options.MaxLoss,
                MaxDuplication = options.MaxDuplication,
                MaxJitter = options.MaxJitter,
            };
            if (options.Partitions)
            {
                for (var i = r.Next(1, 3); i > 0; i--)
                {
                    Split(r.Between(TimeSpan.Zero, f * 0.6), r.Between(f * 0.1, f * 0.4));
                }

                LinkByLink(r.Between(TimeSpan.Zero, f * 0.5), r.Next(10, 40));
            }

            if (options.Crashes)
            {
                for (var i = r.Next(1, 4); i > 0; i--)
                {
                    Crash(r.Pick(cast.Honest).Node, r.Between(f * 0.1, f * 0.7), r.Between(TimeSpan.FromSeconds(3), f * 0.25));
                }
            }

            for (var i = 0; i < options.MinedBlocks; i++)
            {
                var word = $"mined {i}";
                At(r.Between(f * 0.2, f * 0.9), () => Mine(word));
            }
        }

        At(f, Heal);
    }

    private void At(TimeSpan after, Action action) => simulation.Loop.At(start + after, action);

    /// <summary>Cuts every link between a random side and the rest at once; heals them one by one in random order.</summary>
    private void Split(TimeSpan at, TimeSpan length)
    {
        var all = simulation.Nodes.Select(n => n.Index).ToList();
        r.Shuffle(all);
        var side = all.Take(Math.Max(1, (int)(all.Count * r.Between(0.2, 0.5)))).ToHashSet();
        var links = (from a in side from b in all where !side.Contains(b) select (a, b)).ToList();
        Log.Add($"+{at.TotalSeconds:F1} s split {side.Count} nodes off for {length.TotalSeconds:F1} s");
        At(at, () =>
        {
            foreach (var (a, b) in links)
            {
                simulation.Network.Cut(a, b);
            }
        });
        RestoreInRandomOrder(links, at + length, TimeSpan.FromSeconds(5));
    }

    /// <summary>Cuts <paramref name="count"/> random links one at a time, then restores them in another random order.</summary>
    private void LinkByLink(TimeSpan at, int count)
    {
        var n = simulation.Nodes.Count;
        var links = Enumerable.Range(0, count).Select(_ => (a: r.Next(n), b: r.Next(n))).Where(l => l.a != l.b).ToList();
        var spacing = TimeSpan.FromMilliseconds(500);
        Log.Add($"+{at.TotalSeconds:F1} s cut {links.Count} links one by one");
        for (var i = 0; i < links.Count; i++)
        {
            var (a, b) = links[i];
            At(at + (spacing * i), () =>
            {
                // A cut that would land after the faults stop would never be healed.
                if (simulation.Loop.Now - start < options.FaultPhase)
                {
                    simulation.Network.Cut(a, b);
                }
            });
        }

        RestoreInRandomOrder(links, at + (spacing * links.Count) + r.Between(TimeSpan.FromSeconds(5), options.FaultPhase * 0.3), TimeSpan.FromSeconds(10));
    }

    private void RestoreInRandomOrder(List<(int A, int B)> links, TimeSpan from, TimeSpan over)
    {
        var order = links.ToList();
        r.Shuffle(order);
        foreach (var (a, b) in order)
        {
            At(from + r.Between(TimeSpan.Zero, over), () => simulation.Network.Restore(a, b));
        }
    }

    private void Crash(SimNode node, TimeSpan at, TimeSpan down)
    {
        var back = at + down < options.FaultPhase ? at + down : options.FaultPhase;
        Log.Add($"+{at.TotalSeconds:F1} s crash {node.Name}, back at +{back.TotalSeconds:F1} s");
        At(at, () => simulation.Crash(node));
        At(back, () => simulation.Restart(node));
    }

    private void Mine(string word) => simulation.Guard(cast.OriginNode, () =>
    {
        if (cast.Origin.MineAndAnnounce(word))
        {
            Mined++;
            simulation.Trace.Event(simulation.Loop.Now, $"mined {cast.Origin.Chain.Count.ToString(CultureInfo.InvariantCulture)}");
        }
    });

    /// <summary>Faults stop: calm links, every cut link back (one by one, random order), every crashed node restarted.</summary>
    private void Heal()
    {
        simulation.Network.Faults = LinkFaults.Calm;
        var cuts = simulation.Network.CutList();
        r.Shuffle(cuts);
        var spacing = cuts.Count == 0 ? TimeSpan.Zero : options.HealWindow / (cuts.Count + 1);
        for (var i = 0; i < cuts.Count; i++)
        {
            var (a, b) = cuts[i];
            simulation.Loop.After(spacing * (i + 1), () => simulation.Network.RestoreFully(a, b));
        }

        foreach (var node in simulation.Nodes.Where(n => !n.IsUp && !n.Faulted))
        {
            simulation.Restart(node);
        }
    }
}
