using System.CommandLine;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary><c>aviary verify [--difficulty D] [--prev HASH] FILE</c>: checks a chain file block by block.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "JSON array of blocks (GET_BLOCK_REPLY fields), in height order" };
        var difficulty = new Option<int>("--difficulty") { Description = "trailing '0' characters a hash needs", DefaultValueFactory = _ => 8 };
        var prev = new Option<string?>("--prev") { Description = "hash of the block before the first one (absent: the first block is a genesis)" };
        var command = new Command("verify", "Verify a chain segment from a file; exit 0 only if every block is valid.") { file, difficulty, prev };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(difficulty), parse.GetValue(prev), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo file, int difficulty, string? prev, TextWriter output, TextWriter error)
    {
        if (prev is not null && !Hex.IsHash(prev))
        {
            error.WriteLine($"aviary verify: --prev must be 64 lowercase hex characters, got \"{prev}\"");
            return ExitCodes.BadInput;
        }

        if (difficulty is < 0 or > 64)
        {
            error.WriteLine($"aviary verify: --difficulty must be 0 to 64, got {difficulty}");
            return ExitCodes.BadInput;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"aviary verify: cannot read {file.FullName}: {e.Message}");
            return ExitCodes.BadInput;
        }

        if (!BlockFile.TryRead(bytes, out var blocks, out var problem))
        {
            error.WriteLine($"aviary verify: {file.FullName} is malformed: {problem}");
            return ExitCodes.BadInput;
        }

        var previousHash = prev;
        var expectedHeight = prev is null ? 0 : blocks.Count > 0 ? blocks[0].Height : 0;
        var bad = 0;
        foreach (var block in blocks)
        {
            var verdict = BlockValidator.Validate(block, previousHash, expectedHeight, difficulty);
            output.WriteLine(verdict.IsValid ? $"{block.Height} {block.Hash} OK" : $"{block.Height} {block.Hash} {verdict}");
            bad += verdict.IsValid ? 0 : 1;
            previousHash = block.Hash;
            expectedHeight = block.Height + 1;
        }

        output.WriteLine(bad == 0 ? $"{blocks.Count} blocks, all valid" : $"{blocks.Count} blocks, {bad} invalid");
        return bad == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
