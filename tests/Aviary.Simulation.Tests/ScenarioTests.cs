using System.Diagnostics;

using Aviary.Simulation.Scenarios;

namespace Aviary.Simulation.Tests;

/// <summary>The standard scenario (20 honest + 6 adversaries, every fault): safety over many seeds, speed, liveness.</summary>
public sealed class ScenarioTests(ITestOutputHelper output)
{
    private const int SweepSeeds = 200;

    /// <summary>
    /// The CI sweep: 200 seeds of the full standard scenario, each checked for safety at every step
    /// and for liveness 120 virtual seconds after healing. A failure prints the replay command.
    /// </summary>
    [Fact]
    public void Safety_and_liveness_hold_over_200_seeds_of_the_standard_scenario()
    {
        var started = Stopwatch.GetTimestamp();
        var results = Enumerable.Range(1, SweepSeeds)
            .AsParallel()
            .WithDegreeOfParallelism(Environment.ProcessorCount)
            .Select(s => ScenarioRun.Execute(ScenarioOptions.Standard((ulong)s)))
            .ToList();
        var wall = Stopwatch.GetElapsedTime(started);
        var virtualTime = TimeSpan.FromTicks(results.Sum(r => r.VirtualTime.Ticks));
        output.WriteLine($"{results.Count} seeds, {virtualTime.TotalMinutes:F0} virtual minutes in {wall.TotalSeconds:F1} s wall ({virtualTime / wall:F0}x over {Environment.ProcessorCount} cores); {results.Sum(r => r.Network.Delivered)} datagrams delivered");
        var failed = results.Where(r => !r.Passed).ToList();
        Assert.True(failed.Count == 0, string.Join(Environment.NewLine, failed.Select(r => $"seed {r.Options.Seed} (replay: aviary sim --seed {r.Options.Seed}): {string.Join("; ", r.Problems())}")));
        Assert.All(results, r => Assert.InRange(r.VirtualTime, r.Options.HealedAt, r.Options.Duration));
        Assert.All(results, r => Assert.True(r.Liveness is { Passed: true }, $"seed {r.Options.Seed}: no liveness verdict"));
        Assert.Equal(SweepSeeds, results.Select(r => r.TraceHash).Distinct().Count());

        // The faults and adversaries really were there.
        Assert.All(results, r =>
        {
            Assert.True(r.Network.Lost > 0 && r.Network.Duplicated > 0 && r.Network.Cut > 0 && r.Network.Reordered > 0, $"seed {r.Options.Seed}: {r.Network}");
            Assert.True(r.Network.ToDownNode + r.Network.Unroutable > 0);
        });
    }

    [Fact]
    public void Speed_of_the_standard_scenario_is_reported()
    {
        var result = ScenarioRun.Execute(ScenarioOptions.Standard(1) with { StopWhenConverged = false });
        output.WriteLine($"standard scenario, seed 1: {result.VirtualTime.TotalSeconds:F0} virtual s in {result.WallTime.TotalSeconds:F3} wall s = {result.Speed:F0}x (target 100x); {result.Steps} events, {result.Network}");
        output.WriteLine($"replay: aviary sim --seed 1");
        Assert.Equal(ScenarioOptions.Standard(1).Duration, result.VirtualTime);
        Assert.True(result.Steps > 10_000, $"{result.Steps} events");
        Assert.True(result.SafetyPassed, string.Join("; ", result.Problems()));
    }

    [Fact]
    public void The_full_standard_scenario_is_safe_and_deterministic_through_the_liveness_window()
    {
        var a = ScenarioRun.Execute(ScenarioOptions.Standard(3));
        var b = ScenarioRun.Execute(ScenarioOptions.Standard(3));
        Assert.True(a.SafetyPassed, string.Join("; ", a.Problems()));
        Assert.Equal(a.TraceHash, b.TraceHash);
        Assert.NotNull(a.Liveness);
        Assert.Equal(20, a.Liveness.Nodes.Count);
        // The origin holds the best chain from the start: liveness is measured against it.
        Assert.Contains(a.Liveness.Nodes, n => n.CaughtUpAfter == TimeSpan.Zero && n.Height == a.Liveness.BestHeight);
        Assert.Equal(ScenarioOptions.Standard(3).ChainLength + ScenarioOptions.Standard(3).MinedBlocks, a.Liveness.BestHeight);
    }
}
