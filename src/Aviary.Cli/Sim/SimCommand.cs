using System.CommandLine;
using System.Globalization;

using Aviary.Simulation.Scenarios;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary sim</c>: runs the deterministic network simulation for one seed or many and prints,
/// per seed, the verdict, the trace hash and virtual against wall time. A failing seed is printed
/// with the exact command that replays it; any failure exits 1.
/// </summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong?>("--seed") { Description = "run this seed (with --seeds: the first of the range)" };
        var seeds = new Option<int?>("--seeds") { Description = "run this many seeds (from --seed, default 1)" };
        var nodes = new Option<int>("--nodes") { Description = "honest nodes", DefaultValueFactory = _ => 20 };
        var byzantine = new Option<int>("--byzantine") { Description = "adversaries (liar, invalid-chain server, staller, garbage, flooder, reflector, repeating)", DefaultValueFactory = _ => 6 };
        var minutes = new Option<double>("--minutes") { Description = "virtual minutes of faults; the run then heals and allows 120 s for liveness", DefaultValueFactory = _ => 1 };
        var loss = new Option<double>("--loss") { Description = "highest loss rate of a link during the faults (0 to 1)", DefaultValueFactory = _ => 0.3 };
        var safetyOnly = new Option<bool>("--safety-only") { Description = "check safety only (no liveness verdict)" };
        var verbose = new Option<bool>("--verbose") { Description = "print every node's state and the fault schedule" };
        var full = new Option<bool>("--full") { Description = "run out the whole liveness bound even once every honest node holds the best chain" };
        var log = new Option<string[]>("--log") { Description = "print the core log of these honest nodes (h00, h01…) with virtual times", AllowMultipleArgumentsPerToken = true };
        var command = new Command("sim", "Simulate a network of cores with faults and adversaries, reproducibly from a seed.")
        {
            seed, seeds, nodes, byzantine, minutes, loss, safetyOnly, verbose, full, log,
        };
        command.SetAction(parse => Run(
            new SimArguments(parse.GetValue(seed), parse.GetValue(seeds), parse.GetValue(nodes), parse.GetValue(byzantine), parse.GetValue(minutes), parse.GetValue(loss), parse.GetValue(safetyOnly), parse.GetValue(verbose)) { LogNodes = parse.GetValue(log) ?? [], Full = parse.GetValue(full) },
            Console.Out,
            Console.Error));
        return command;
    }

    public static int Run(SimArguments args, TextWriter output, TextWriter error)
    {
        if (args.Validate() is { } problem)
        {
            error.WriteLine($"aviary sim: {problem}");
            return ExitCodes.BadInput;
        }

        var first = args.Seed ?? 1;
        var count = args.Seeds ?? 1;
        var failed = new List<ulong>();
        var results = Enumerable.Range(0, count)
            .Select(i => first + (ulong)i)
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(args.LogNodes.Length > 0 ? 1 : Math.Min(Environment.ProcessorCount, count))
            .Select(s => ScenarioRun.Execute(args.Options(s) with { Log = args.LogNodes.Length > 0 ? output.WriteLine : null }));
        foreach (var result in results)
        {
            var s = result.Options.Seed;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {s}: {(result.Passed ? "PASS" : "FAIL")}  trace {result.TraceHash}  virtual {result.VirtualTime.TotalSeconds:F1} s / wall {result.WallTime.TotalSeconds:F2} s ({result.Speed:F0}x)"));
            if (args.Verbose)
            {
                foreach (var note in result.Notes)
                {
                    output.WriteLine($"  {note}");
                }

                if (result.Liveness is { Passed: true } live)
                {
                    output.WriteLine($"  liveness: {live}");
                }
            }

            if (!result.Passed)
            {
                failed.Add(s);
                foreach (var p in result.Problems())
                {
                    output.WriteLine($"  {p}");
                }

                output.WriteLine($"  failing seed {s}; replay: {args.ReplayCommand(s)}");
            }
        }

        if (count > 1)
        {
            output.WriteLine($"{count} seeds: {count - failed.Count} passed, {failed.Count} failed{(failed.Count > 0 ? $" (seeds {string.Join(", ", failed)})" : string.Empty)}");
        }

        return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}

/// <summary>The flags of <c>aviary sim</c>, turned into scenario options and back into a replay command.</summary>
internal sealed record SimArguments(ulong? Seed, int? Seeds, int Nodes, int Byzantine, double Minutes, double Loss, bool SafetyOnly, bool Verbose)
{
    public string? Validate() =>
        Seeds is < 1 ? "--seeds must be at least 1"
        : Nodes < 1 ? "--nodes must be at least 1"
        : Byzantine < 0 ? "--byzantine must not be negative"
        : Minutes is < 0 or > 24 * 60 ? "--minutes must be from 0 to 1440"
        : Loss is < 0 or > 1 ? "--loss must be from 0 to 1"
        : null;

    public ScenarioOptions Options(ulong seed) => ScenarioOptions.Standard(seed) with
    {
        Honest = Nodes,
        Byzantine = Byzantine,
        FaultPhase = TimeSpan.FromMinutes(Minutes),
        MaxLoss = Loss,
        CheckLiveness = !SafetyOnly,
        LogNodes = LogNodes.ToHashSet(StringComparer.Ordinal),
        StopWhenConverged = !Full,
    };

    /// <summary>Run out the whole liveness bound (<c>--full</c>).</summary>
    public bool Full { get; init; }

    /// <summary>Honest nodes whose core log is printed (<c>--log</c>).</summary>
    public string[] LogNodes { get; init; } = [];

    public string ReplayCommand(ulong seed) => string.Create(
        CultureInfo.InvariantCulture,
        $"aviary sim --seed {seed} --nodes {Nodes} --byzantine {Byzantine} --minutes {Minutes} --loss {Loss}{(SafetyOnly ? " --safety-only" : string.Empty)}{(Full ? " --full" : string.Empty)}");
}
