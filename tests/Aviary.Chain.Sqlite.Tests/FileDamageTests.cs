using System.Text;

using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>Files SQLite cannot use as they are: moved aside, the readable valid prefix carried over to a fresh file.</summary>
public sealed class FileDamageTests
{
    private const int Difficulty = 1;

    private static readonly Lazy<(List<Block> Chain, byte[] File)> Stored = new(() =>
    {
        using var temp = new TempStore();
        var chain = TestChains.Mine(400, Difficulty);
        using (var store = temp.Open())
        {
            store.Load(Difficulty);
            for (var i = 0; i < chain.Count; i += 50)
            {
                store.Append(chain[i..(i + 50)]);
            }
        }

        return (chain, File.ReadAllBytes(temp.Db));
    });

    /// <summary>Loads a damaged file: never throws, returns a valid prefix, and a second load is clean.</summary>
    private static ChainLoadOutcome LoadDamaged(TempStore temp, IReadOnlyList<Block> original)
    {
        IReadOnlyList<Block> loaded;
        ChainLoadOutcome outcome;
        using (var store = temp.Open())
        {
            loaded = store.Load(Difficulty);
            outcome = store.LastLoad!;
        }

        Assert.True(TestChains.IsValidChain(loaded, Difficulty));
        TestChains.AssertPrefix(original, loaded);
        Assert.Equal(loaded.Count, outcome.Kept);
        TestContext.Current.TestOutputHelper?.WriteLine(outcome.ToString());

        using var again = temp.Open();
        Assert.Equal(loaded, again.Load(Difficulty));
        Assert.True(again.LastLoad!.IsClean, again.LoadReport);
        return outcome;
    }

    [Fact]
    public void Not_a_database_is_moved_aside_and_the_store_starts_empty()
    {
        using var temp = new TempStore();
        var junk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a database. ", 300)));
        File.WriteAllBytes(temp.Db, junk);
        var outcome = LoadDamaged(temp, []);
        Assert.Contains(outcome.Findings, f => f.Kind == StoreDamage.NotADatabase);
        Assert.Equal(temp.Db + ".corrupt-1", outcome.MovedAsideTo);
        Assert.Equal(junk, File.ReadAllBytes(temp.Db + ".corrupt-1"));
        Assert.Contains("moved the old file to", outcome.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_damaged_file_gets_the_next_free_name()
    {
        using var temp = new TempStore();
        File.WriteAllText(temp.Db + ".corrupt-1", "older");
        File.WriteAllText(temp.Db, new string('x', 5000));
        var outcome = LoadDamaged(temp, []);
        Assert.Equal(temp.Db + ".corrupt-2", outcome.MovedAsideTo);
        Assert.Equal("older", File.ReadAllText(temp.Db + ".corrupt-1"));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(10, false)]
    public void Truncated_file_keeps_a_valid_prefix_and_moves_the_file_aside(int fraction, bool salvageable)
    {
        var (chain, bytes) = Stored.Value;
        using var temp = new TempStore();
        File.WriteAllBytes(temp.Db, bytes[..(bytes.Length / fraction)]);
        var outcome = LoadDamaged(temp, chain);
        Assert.True(outcome.Kept < chain.Count);
        if (salvageable)
        {
            // The blocks before the cut are carried over, and the recorded tip says how many were lost.
            Assert.True(outcome.Kept > 0);
            Assert.Equal(chain.Count, outcome.Kept + outcome.Dropped);
        }

        Assert.Contains(outcome.Findings, f => f.Kind is StoreDamage.Malformed or StoreDamage.NotADatabase);
        Assert.NotNull(outcome.MovedAsideTo);
        Assert.True(File.Exists(outcome.MovedAsideTo));
    }

    [Fact]
    public void Another_programs_database_is_moved_aside_untouched()
    {
        using var temp = new TempStore();
        TempStore.Sql(temp.Db, "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ann')");
        var outcome = LoadDamaged(temp, []);
        Assert.Contains(outcome.Findings, f => f.Kind == StoreDamage.UnknownSchema);
        TempStore.Sql(outcome.MovedAsideTo!, "SELECT name FROM users");
    }

    [Fact]
    public void A_newer_schema_version_is_moved_aside()
    {
        var (chain, bytes) = Stored.Value;
        using var temp = new TempStore();
        File.WriteAllBytes(temp.Db, bytes);
        temp.Sql("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
        var outcome = LoadDamaged(temp, chain);
        Assert.Contains(outcome.Findings, f => f.Kind == StoreDamage.UnknownSchema);
        Assert.Equal(0, outcome.Kept);
        Assert.Equal(chain.Count, TempStore.Scalar(outcome.MovedAsideTo!, "SELECT count(*) FROM blocks"));
        Assert.Contains(SqliteChainStore.ReadSnapshot(outcome.MovedAsideTo!, Difficulty).Findings, f => f.Kind == StoreDamage.UnknownSchema);
    }

    [Fact]
    public void Another_difficulty_moves_the_chain_aside_intact()
    {
        var (chain, bytes) = Stored.Value;
        using var temp = new TempStore();
        File.WriteAllBytes(temp.Db, bytes);
        using (var store = temp.Open())
        {
            Assert.Empty(store.Load(2));
            var outcome = store.LastLoad!;
            Assert.Contains(outcome.Findings, f => f.Kind == StoreDamage.DifficultyChanged);
            Assert.Equal(temp.Db + ".difficulty-1-1", outcome.MovedAsideTo);
        }

        Assert.Equal(chain, SqliteChainStore.ReadSnapshot(temp.Db + ".difficulty-1-1").Blocks);
        Assert.Equal(2, SqliteChainStore.ReadRecordedDifficulty(temp.Db));
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_overwritten_bytes_never_crash_or_yield_a_broken_chain(int seed)
    {
        var (chain, bytes) = Stored.Value;
        var damaged = (byte[])bytes.Clone();
        var random = new Random(seed);
        var at = random.Next(damaged.Length);
        var span = damaged.AsSpan(at, Math.Min(damaged.Length - at, random.Next(1, 200)));
        random.NextBytes(span);
        using var temp = new TempStore();
        File.WriteAllBytes(temp.Db, damaged);
        LoadDamaged(temp, chain);
    }
}
