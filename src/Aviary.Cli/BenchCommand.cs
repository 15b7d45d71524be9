using System.CommandLine;

namespace Aviary.Cli;

/// <summary><c>aviary bench</c>: benchmarks that print our figure beside an anchor run in the same command.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks, each beside an anchor run in the same command.");
        command.Subcommands.Add(BenchSyncCommand.Create());
        command.Subcommands.Add(BenchStatsCommand.Create());
        command.Subcommands.Add(BenchFloodCommand.Create());
        return command;
    }
}
