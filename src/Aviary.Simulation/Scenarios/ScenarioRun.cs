using System.Diagnostics;
using System.Globalization;

using Aviary.Protocol;
using Aviary.Simulation.Checks;

namespace Aviary.Simulation.Scenarios;

/// <summary>
/// One scenario from build to verdict: cast the nodes, schedule the faults, start everyone within
/// the first seconds, run to the end of the fault phase and the heal, take the best honest chain
/// as the target, run on for the liveness bound, and report.
/// </summary>
public sealed class ScenarioRun : IDisposable
{
    public ScenarioRun(ScenarioOptions options)
    {
        Options = options;
        Simulation = new Simulation(options.Seed);
        Cast = Cast.Build(Simulation, options);
        Safety = new SafetyMonitor(Simulation);
        Liveness = new LivenessTracker(Simulation);
        foreach (var (node, peer) in Cast.Honest)
        {
            Safety.Watch(node.Name, peer);
            Liveness.Watch(node.Name, peer);
        }

        Faults = new FaultPlan(Simulation, Cast, options);
    }

    public ScenarioOptions Options { get; }

    public Simulation Simulation { get; }

    public Cast Cast { get; }

    public SafetyMonitor Safety { get; }

    public LivenessTracker Liveness { get; }

    public FaultPlan Faults { get; }

    /// <summary>Builds and runs <paramref name="options"/>.</summary>
    public static ScenarioResult Execute(ScenarioOptions options)
    {
        using var run = new ScenarioRun(options);
        return run.Run();
    }

    public ScenarioResult Run()
    {
        var started = Stopwatch.GetTimestamp();
        var start = Simulation.Loop.Now;
        foreach (var node in Simulation.Nodes)
        {
            Simulation.Start(node, start + Simulation.Random.Between(TimeSpan.Zero, TimeSpan.FromSeconds(3)));
        }

        Faults.Schedule();
        Simulation.RunUntil(start + Options.HealedAt);
        var best = Best();
        Liveness.Begin(best);
        Simulation.RunUntil(start + Options.Duration, Options.CheckLiveness && Options.StopWhenConverged ? () => Liveness.AllConverged : null);
        var liveness = Options.CheckLiveness ? Liveness.Report(Options.LivenessBound) : null;
        return new ScenarioResult
        {
            Options = Options,
            TraceHash = Simulation.Trace.Finish(),
            VirtualTime = Simulation.Clock.Elapsed,
            WallTime = Stopwatch.GetElapsedTime(started),
            Safety = Safety.Violations,
            Failures = Simulation.Failures,
            Liveness = liveness,
            Network = Simulation.Network.Stats,
            Steps = Simulation.Loop.Steps,
            Notes = Notes(best),
        };
    }

    /// <summary>The best valid chain any honest node holds when the faults have stopped (the longest; all are verified).</summary>
    private IReadOnlyList<Block> Best() =>
        Cast.Honest.Select(h => h.Peer.Chain).OrderByDescending(c => c.Count).First().Range(0, int.MaxValue);

    private List<string> Notes(IReadOnlyList<Block> best)
    {
        var notes = new List<string>
        {
            $"best chain at healing: {best.Count} blocks; miner {Cast.Origin.Options.Name} mined {Faults.Mined}",
            $"network: {Simulation.Network.Stats}",
            $"safety: {Safety.Checks} chain states checked, {Safety.BlocksValidated} blocks validated",
        };
        notes.AddRange(Faults.Log);
        var honest = Cast.Honest.Select(h => h.Node.Address).ToHashSet();
        foreach (var (node, peer) in Cast.Honest)
        {
            var c = peer.Core?.Counters;
            var honestPeers = peer.Core?.Peers.All.Count(p => honest.Contains(p.Address)) ?? 0;
            var trackedBy = Cast.Honest.Count(h => h.Peer.Core?.Peers.Find(node.Address) is not null);
            notes.Add($"{node.Name} [{peer.Kind}] started {peer.StartedWith}, now {peer.Chain.Count} blocks, lives {peer.Lives}, peers {peer.Core?.Peers.Count ?? 0} ({honestPeers} honest), tracked by {trackedBy} honest, seen ids {peer.Core?.Seen.Count ?? 0}, timers {peer.Core?.Events.Count ?? 0}, in {c?.DatagramsIn ?? 0}, out {c?.DatagramsOut ?? 0}, rejected {c?.TotalRejections ?? 0}, invalid blocks {c?.InvalidBlocks ?? 0}");
        }

        foreach (var (node, adversary) in Cast.Adversaries)
        {
            notes.Add($"{node.Name} [{adversary.Kind}] received {adversary.Received}, sent {adversary.Sent}");
        }

        notes.Add($"bystander received {Cast.Bystander.Count.ToString(CultureInfo.InvariantCulture)} datagrams");
        return notes;
    }

    public void Dispose() => Simulation.Dispose();
}
