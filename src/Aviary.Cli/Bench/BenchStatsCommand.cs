using System.CommandLine;

using Aviary.Bench;

namespace Aviary.Cli;

/// <summary><c>aviary bench stats</c>: its options; the measurement is <see cref="StatsBenchmark"/> in Aviary.Bench.</summary>
internal static class BenchStatsCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "how long each side is loaded", DefaultValueFactory = _ => 3 };
        var inFlight = new Option<int>("--in-flight") { Description = "requests kept in flight by the load generator", DefaultValueFactory = _ => 32 };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var command = new Command("stats", "STATS answered per second on loopback, beside a plain UDP echo server.") { seconds, inFlight, json };
        command.SetAction((parse, stop) => StatsBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(inFlight), parse.GetValue(json), stop));
        return command;
    }
}
