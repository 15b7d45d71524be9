using System.CommandLine;

namespace Aviary.Cli;

/// <summary>Every subcommand of <c>aviary</c>; each lives in its own file.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield return RunCommand.Create();
        yield return MineCommand.Create();
        yield return VerifyCommand.Create();
        yield return ExportCommand.Create();
        yield return ImportCommand.Create();
        yield return BenchCommand.Create();
        yield return SimCommand.Create();
        yield return StatsCommand.Create();
        yield return BlockCommand.Create();
        yield return ConsensusCommand.Create();
        yield return WordCommand.Create();
        yield return DevnetCommand.Create();
        yield return ProbeCommand.Create();
        yield return CensusCommand.Create();
    }
}
