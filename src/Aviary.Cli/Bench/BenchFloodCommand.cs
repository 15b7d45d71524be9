using System.CommandLine;

using Aviary.Bench;

namespace Aviary.Cli;

/// <summary><c>aviary bench flood</c>: its options; the measurement is <see cref="FloodBenchmark"/> in Aviary.Bench.</summary>
internal static class BenchFloodCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "total flood time, split evenly over the eight mixes", DefaultValueFactory = _ => 60 };
        var rate = new Option<double>("--rate") { Description = "attack datagrams per second (0: as fast as this machine can send)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var command = new Command("flood", "Flood a loopback node with hostile traffic; report memory, honest latency and amplification.") { seconds, rate, json };
        command.SetAction((parse, stop) => FloodBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(rate), parse.GetValue(json), stop));
        return command;
    }
}
