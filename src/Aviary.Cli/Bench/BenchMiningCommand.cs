using System.CommandLine;

using Aviary.Bench;

namespace Aviary.Cli;

/// <summary><c>aviary bench mining</c>: its options; the measurement is <see cref="MiningBenchmark"/> in Aviary.Bench.</summary>
internal static class BenchMiningCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "length of each measurement (each tier, all cores, each anchor)", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "threads for the all-cores figure", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "print the figures as one JSON object" };
        var command = new Command("mining", "Mining attempts/s per tier, per core and on all cores, with Python and OpenSSL anchors and seconds per block at difficulty 8 and 9.")
        {
            seconds,
            threads,
            json,
        };
        command.SetAction((parse, cancellationToken) => MiningBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(threads), parse.GetValue(json), Console.Out, Console.Error, cancellationToken));
        return command;
    }
}
