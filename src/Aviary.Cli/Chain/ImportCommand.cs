using System.CommandLine;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary import FILE [--data DIR] [--network NAME] [--difficulty D]</c>: verifies a chain file from
/// genesis and stores it when it is longer than the stored chain.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Used when neither <c>--difficulty</c> nor the store says otherwise (the course networks' usual value).</summary>
    public const int DefaultDifficulty = 8;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "JSON array of blocks from genesis, in height order (the aviary verify format)" };
        var data = DataOptions.Data();
        var network = DataOptions.Network();
        var difficulty = new Option<int?>("--difficulty") { Description = $"trailing '0' characters a hash needs (default: the store's recorded difficulty, else {DefaultDifficulty})" };
        var command = new Command("import", "Verify a chain file from genesis and store it if it is longer than the stored chain.") { file, data, network, difficulty };
        command.SetAction(parse => DataOptions.TryResolve(parse.GetValue(data), parse.GetValue(network)!, "import", Console.Error, out var directory)
            ? Run(parse.GetValue(file)!, directory, parse.GetValue(difficulty), Console.Out, Console.Error)
            : ExitCodes.BadInput);
        return command;
    }

    /// <summary>Exit 0 stored or kept the longer stored chain, 1 an invalid block or an unusable store, 2 an unreadable or malformed file or bad options.</summary>
    public static int Run(FileInfo file, string dataDirectory, int? difficultyOption, TextWriter output, TextWriter error)
    {
        if (difficultyOption is < 0 or > 64)
        {
            error.WriteLine($"aviary import: --difficulty must be 0 to 64, got {difficultyOption}");
            return ExitCodes.BadInput;
        }

        if (!TryReadFile(file, error, out var blocks))
        {
            return ExitCodes.BadInput;
        }

        var db = DataDirectory.ChainDatabase(dataDirectory);
        var recorded = SqliteChainStore.ReadRecordedDifficulty(db);
        if (difficultyOption is { } given && recorded is { } stored && given != stored)
        {
            error.WriteLine($"aviary import: the chain stored at {db} has difficulty {stored}, not {given}; use another --data or --network for another network");
            return ExitCodes.BadInput;
        }

        var difficulty = difficultyOption ?? recorded ?? DefaultDifficulty;
        var broken = FirstInvalid(blocks, difficulty);
        if (broken is { } bad)
        {
            error.WriteLine($"aviary import: {file.FullName} is not a valid chain at difficulty {difficulty}: block {bad.Height} breaks {bad.Verdict}; nothing stored");
            return ExitCodes.Failed;
        }

        try
        {
            using var store = SqliteChainStore.Open(db);
            var chain = new LocalChain(store, difficulty);
            if (store.LoadReport.Length > 0)
            {
                error.WriteLine($"aviary import: repaired {db}: {store.LoadReport}");
            }

            return Store(chain, blocks, db, output, error);
        }
        catch (ChainStoreException e)
        {
            error.WriteLine($"aviary import: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static int Store(LocalChain chain, List<Block> blocks, string db, TextWriter output, TextWriter error)
    {
        var before = chain.Count;
        var fork = 0;
        while (fork < blocks.Count && fork < before && chain[fork]!.Hash == blocks[fork].Hash)
        {
            fork++;
        }

        if (blocks.Count <= before)
        {
            var relation = fork == blocks.Count ? "already stored" : $"a fork from height {fork}";
            output.WriteLine($"kept the stored chain of {before} blocks in {db}: the file's {blocks.Count} blocks ({relation}) are not longer");
            return ExitCodes.Ok;
        }

        var verdict = chain.TryAdopt(fork, blocks[fork..]);
        if (!verdict.IsValid)
        {
            error.WriteLine($"aviary import: the stored chain refused the file's blocks: {verdict}");
            return ExitCodes.Failed;
        }

        output.WriteLine(
            before == 0 ? $"stored {blocks.Count} blocks in {db} (it was empty)"
            : fork == before ? $"appended {blocks.Count - before} blocks to the stored {before} in {db}: now {blocks.Count}"
            : $"replaced the stored blocks from height {fork} ({before - fork} blocks) with the file's {blocks.Count - fork} in {db}: now {blocks.Count}");
        return ExitCodes.Ok;
    }

    private static (long Height, BlockVerdict Verdict)? FirstInvalid(List<Block> blocks, int difficulty)
    {
        string? previousHash = null;
        for (var height = 0; height < blocks.Count; height++)
        {
            var verdict = BlockValidator.Validate(blocks[height], previousHash, height, difficulty);
            if (!verdict.IsValid)
            {
                return (height, verdict);
            }

            previousHash = blocks[height].Hash;
        }

        return null;
    }

    private static bool TryReadFile(FileInfo file, TextWriter error, out List<Block> blocks)
    {
        blocks = [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"aviary import: cannot read {file.FullName}: {e.Message}");
            return false;
        }

        if (!BlockFile.TryRead(bytes, out blocks, out var problem))
        {
            error.WriteLine($"aviary import: {file.FullName} is malformed: {problem}");
            return false;
        }

        return true;
    }
}
