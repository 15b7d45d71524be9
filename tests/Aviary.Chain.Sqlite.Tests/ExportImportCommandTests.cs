using Aviary.Cli;
using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary><c>aviary export</c> and <c>aviary import</c> against a temporary data directory.</summary>
public sealed class ExportImportCommandTests : IDisposable
{
    private const int Difficulty = 1;

    private readonly TempStore temp = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    public void Dispose()
    {
        temp.Dispose();
        output.Dispose();
        error.Dispose();
    }

    private FileInfo WriteFile(string name, IEnumerable<Block> blocks)
    {
        var file = new FileInfo(Path.Combine(temp.Directory, name));
        using var stream = file.Create();
        BlockFile.Write(blocks, stream);
        return file;
    }

    private int Import(FileInfo file, int? difficulty = Difficulty) => ImportCommand.Run(file, temp.Directory, difficulty, output, error);

    private IReadOnlyList<Block> Stored()
    {
        using var store = temp.Open();
        return store.Load(Difficulty);
    }

    [Fact]
    public void Import_into_an_empty_store_then_export_round_trips()
    {
        var chain = TestChains.Mine(15, Difficulty);
        Assert.Equal(ExitCodes.Ok, Import(WriteFile("in.json", chain)));
        Assert.Contains("stored 15 blocks", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(chain, Stored());

        var exported = new FileInfo(Path.Combine(temp.Directory, "out.json"));
        Assert.Equal(ExitCodes.Ok, ExportCommand.Run(exported, temp.Directory, null, output, error));
        Assert.True(BlockFile.TryRead(File.ReadAllBytes(exported.FullName), out var read, out var problem), problem);
        Assert.Equal(chain, read);
        Assert.Contains("exported 15 blocks", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public void Invalid_file_is_refused_with_rule_and_height_and_nothing_stored()
    {
        var chain = TestChains.Mine(10, Difficulty);
        chain[6] = chain[6] with { Messages = ["forged"] };
        Assert.Equal(ExitCodes.Failed, Import(WriteFile("bad.json", chain)));
        Assert.Contains("block 6 breaks HashMismatch", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Db));
    }

    [Fact]
    public void Malformed_or_missing_file_exits_2()
    {
        var file = new FileInfo(Path.Combine(temp.Directory, "junk.json"));
        File.WriteAllText(file.FullName, "{\"not\": \"an array\"}");
        Assert.Equal(ExitCodes.BadInput, Import(file));
        Assert.Contains("malformed", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, Import(new FileInfo(Path.Combine(temp.Directory, "absent.json"))));
    }

    [Fact]
    public void Shorter_or_equal_file_keeps_the_stored_chain()
    {
        var chain = TestChains.Mine(12, Difficulty);
        var rival = TestChains.Mine(9, Difficulty, parent: chain[2], minedBy: "rival");
        Import(WriteFile("long.json", chain));
        Assert.Equal(ExitCodes.Ok, Import(WriteFile("same.json", chain)));
        Assert.Equal(ExitCodes.Ok, Import(WriteFile("fork.json", [.. chain[..3], .. rival])));
        Assert.Contains("a fork from height 3", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("kept the stored chain of 12 blocks", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(chain, Stored());
    }

    [Fact]
    public void Longer_file_extends_or_replaces_the_stored_chain()
    {
        var chain = TestChains.Mine(8, Difficulty);
        var longer = chain.Concat(TestChains.Mine(4, Difficulty, parent: chain[^1])).ToList();
        var rival = TestChains.Mine(12, Difficulty, parent: chain[4], minedBy: "rival");
        Import(WriteFile("a.json", chain));
        Assert.Equal(ExitCodes.Ok, Import(WriteFile("b.json", longer)));
        Assert.Contains("appended 4 blocks to the stored 8", output.ToString(), StringComparison.Ordinal);
        List<Block> reorged = [.. chain[..5], .. rival];
        Assert.Equal(ExitCodes.Ok, Import(WriteFile("c.json", reorged), difficulty: null));
        Assert.Contains("replaced the stored blocks from height 5 (7 blocks) with the file's 12", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(reorged, Stored());
    }

    [Fact]
    public void Difficulty_that_contradicts_the_store_is_refused()
    {
        var chain = TestChains.Mine(3, Difficulty);
        Import(WriteFile("a.json", chain));
        Assert.Equal(ExitCodes.BadInput, Import(WriteFile("b.json", chain), difficulty: 0));
        Assert.Contains("has difficulty 1, not 0", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, ExportCommand.Run(new FileInfo(Path.Combine(temp.Directory, "x.json")), temp.Directory, 2, output, error));
    }

    [Fact]
    public void Export_without_a_store_exits_2_and_from_a_damaged_one_writes_the_valid_part_and_exits_1()
    {
        var target = new FileInfo(Path.Combine(temp.Directory, "out.json"));
        Assert.Equal(ExitCodes.BadInput, ExportCommand.Run(target, temp.Directory, null, output, error));
        Assert.False(target.Exists);

        var chain = TestChains.Mine(10, Difficulty);
        Import(WriteFile("a.json", chain));
        temp.Sql("UPDATE blocks SET nonce = 'x' WHERE height = 7");
        Assert.Equal(ExitCodes.Failed, ExportCommand.Run(target, temp.Directory, null, output, error));
        Assert.Contains("block 7 is invalid", error.ToString(), StringComparison.Ordinal);
        Assert.True(BlockFile.TryRead(File.ReadAllBytes(target.FullName), out var read, out _));
        Assert.Equal(chain[..7], read);
    }

    [Fact]
    public void Export_works_while_a_store_holds_the_lock()
    {
        var chain = TestChains.Mine(5, Difficulty);
        Import(WriteFile("a.json", chain));
        using var running = temp.Open();
        running.Load(Difficulty);
        var target = new FileInfo(Path.Combine(temp.Directory, "out.json"));
        Assert.Equal(ExitCodes.Ok, ExportCommand.Run(target, temp.Directory, null, output, error));
        Assert.Equal(ExitCodes.Failed, Import(WriteFile("b.json", chain)));
        Assert.Contains("another aviary", error.ToString(), StringComparison.Ordinal);
    }
}
