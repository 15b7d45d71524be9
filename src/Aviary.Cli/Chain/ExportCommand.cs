using System.CommandLine;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary><c>aviary export FILE [--data DIR] [--network NAME] [--difficulty D]</c>: writes the stored chain as a chain file.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "where to write the chain: a JSON array of blocks, the aviary verify format" };
        var data = DataOptions.Data();
        var network = DataOptions.Network();
        var difficulty = new Option<int?>("--difficulty") { Description = "check proof of work at D (default: the difficulty the store recorded)" };
        var command = new Command("export", "Write the stored chain (its valid part) to a file; safe while a node runs.") { file, data, network, difficulty };
        command.SetAction(parse => DataOptions.TryResolve(parse.GetValue(data), parse.GetValue(network)!, "export", Console.Error, out var directory)
            ? Run(parse.GetValue(file)!, directory, parse.GetValue(difficulty), Console.Out, Console.Error)
            : ExitCodes.BadInput);
        return command;
    }

    /// <summary>Exit 0 written, 1 written but the store was damaged (only its valid prefix went out), 2 nothing written.</summary>
    public static int Run(FileInfo file, string dataDirectory, int? difficulty, TextWriter output, TextWriter error)
    {
        if (difficulty is < 0 or > 64)
        {
            error.WriteLine($"aviary export: --difficulty must be 0 to 64, got {difficulty}");
            return ExitCodes.BadInput;
        }

        var db = DataDirectory.ChainDatabase(dataDirectory);
        if (!File.Exists(db))
        {
            error.WriteLine($"aviary export: no stored chain at {db}");
            return ExitCodes.BadInput;
        }

        StoredChainSnapshot snapshot;
        try
        {
            snapshot = SqliteChainStore.ReadSnapshot(db, difficulty);
        }
        catch (ChainStoreException e)
        {
            error.WriteLine($"aviary export: {e.Message}");
            return ExitCodes.BadInput;
        }

        foreach (var finding in snapshot.Findings)
        {
            error.WriteLine($"aviary export: {db}: {finding}");
        }

        if (snapshot.Findings.Any(f => f.Kind is StoreDamage.DifficultyChanged))
        {
            return ExitCodes.BadInput;
        }

        if (!TryWrite(file, snapshot.Blocks, error))
        {
            return ExitCodes.BadInput;
        }

        var top = snapshot.Blocks.Count == 0 ? "the store is empty" : $"top {snapshot.Blocks[^1].Height} {snapshot.Blocks[^1].Hash}";
        output.WriteLine($"exported {snapshot.Blocks.Count} blocks to {file.FullName} ({top}, difficulty {difficulty ?? snapshot.RecordedDifficulty})");
        return snapshot.Findings.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Writes beside the target and renames, so a failed export never leaves half a file under FILE.</summary>
    private static bool TryWrite(FileInfo file, IReadOnlyList<Block> blocks, TextWriter error)
    {
        var temporary = file.FullName + ".partial";
        try
        {
            using (var stream = File.Create(temporary))
            {
                BlockFile.Write(blocks, stream);
            }

            File.Move(temporary, file.FullName, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"aviary export: cannot write {file.FullName}: {e.Message}");
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            return false;
        }
    }
}
