using System.CommandLine;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary bench …</c>: measurements printed beside anchors run in the same command, as ratios.
/// Each benchmark is a subcommand in its own file; add one by yielding its <c>Create()</c> below.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure Aviary against anchors run in the same command (ratios, not bare times).");
        foreach (var subcommand in Subcommands())
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }

    private static IEnumerable<Command> Subcommands()
    {
        yield return BenchMiningCommand.Create();
        yield return BenchSyncCommand.Create();
        yield return BenchStatsCommand.Create();
        yield return BenchFloodCommand.Create();
    }
}
