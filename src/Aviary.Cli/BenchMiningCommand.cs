using System.CommandLine;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary bench mining [--seconds S] [--threads N] [--json]</c>: attempts/s per core for each search
/// tier and for all cores, beside a course-style Python miner and <c>openssl speed</c>.
/// </summary>
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
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(seconds), parse.GetValue(threads), parse.GetValue(json), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(double seconds, int threads, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (seconds is <= 0 or > 600 || double.IsNaN(seconds))
        {
            error.WriteLine($"aviary bench mining: --seconds must be above 0 and at most 600, got {seconds}");
            return ExitCodes.BadInput;
        }

        if (threads is < 1 or > 1024)
        {
            error.WriteLine($"aviary bench mining: --threads must be 1 to 1024, got {threads}");
            return ExitCodes.BadInput;
        }

        var progress = json ? TextWriter.Null : error;
        var report = await MiningBench.RunAsync(TimeSpan.FromSeconds(seconds), threads, progress, cancellationToken);
        if (json)
        {
            MiningBenchReport.WriteJson(report, output);
        }
        else
        {
            MiningBenchReport.WriteText(report, output);
        }

        return ExitCodes.Ok;
    }
}
