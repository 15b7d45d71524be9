using Aviary.Simulation.Network;
using Aviary.Simulation.Scenarios;

namespace Aviary.Simulation.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void The_same_seed_twice_gives_the_same_trace_hash()
    {
        var first = ScenarioRun.Execute(ScenarioOptions.SafetySweep(7));
        var second = ScenarioRun.Execute(ScenarioOptions.SafetySweep(7));
        Assert.Equal(first.TraceHash, second.TraceHash);
        Assert.Equal(first.Steps, second.Steps);
        Assert.Equal(first.Network.ToString(), second.Network.ToString());
        Assert.True(first.Network.Delivered > 1000, $"a trace of {first.Network.Delivered} datagrams proves little");
    }

    [Fact]
    public void Different_seeds_give_different_trace_hashes()
    {
        var hashes = Enumerable.Range(1, 4).Select(s => ScenarioRun.Execute(ScenarioOptions.SafetySweep((ulong)s)).TraceHash).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void The_generator_replays_from_its_seed_and_forks_are_independent()
    {
        var a = new SimRandom(42);
        var b = new SimRandom(42);
        Assert.Equal(Enumerable.Range(0, 100).Select(_ => a.NextULong()), Enumerable.Range(0, 100).Select(_ => b.NextULong()));
        Assert.NotEqual(new SimRandom(42).NextULong(), new SimRandom(43).NextULong());
        var counts = new int[10];
        var r = new SimRandom(5);
        for (var i = 0; i < 100_000; i++)
        {
            counts[r.Next(10)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void A_link_profile_depends_only_on_the_seed_and_the_two_ends()
    {
        var faults = new LinkFaults();
        Assert.Equal(faults.ProfileOf(9, 3, 4), faults.ProfileOf(9, 3, 4));
        Assert.NotEqual(faults.ProfileOf(9, 3, 4), faults.ProfileOf(9, 4, 3));
        Assert.NotEqual(faults.ProfileOf(9, 3, 4), faults.ProfileOf(10, 3, 4));
        var p = faults.ProfileOf(9, 3, 4);
        Assert.InRange(p.Loss, 0, faults.MaxLoss);
        Assert.InRange(p.Duplication, 0, faults.MaxDuplication);
    }
}
