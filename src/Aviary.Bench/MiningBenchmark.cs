
namespace Aviary.Bench;

/// <summary>
/// <c>aviary bench mining [--seconds S] [--threads N] [--json]</c>: attempts/s per core for each search
/// tier and for all cores, beside a course-style Python miner and <c>openssl speed</c>.
/// </summary>
public static class MiningBenchmark
{
    public static async Task<int> RunAsync(double seconds, int threads, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!OptionsValid(seconds, threads, error))
        {
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

    /// <summary>The options every mining benchmark takes (CPU and GPU): false, with one line on <paramref name="error"/>, when one is out of range.</summary>
    internal static bool OptionsValid(double seconds, int threads, TextWriter error)
    {
        if (seconds is <= 0 or > 600 || double.IsNaN(seconds))
        {
            error.WriteLine($"aviary bench mining: --seconds must be above 0 and at most 600, got {seconds}");
            return false;
        }

        if (threads is < 1 or > 1024)
        {
            error.WriteLine($"aviary bench mining: --threads must be 1 to 1024, got {threads}");
            return false;
        }

        return true;
    }
}
