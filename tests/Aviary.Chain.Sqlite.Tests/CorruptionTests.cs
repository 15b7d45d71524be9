using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>Each kind of damage is found at load, reported, and repaired to the longest valid prefix.</summary>
public sealed class CorruptionTests
{
    private const int Difficulty = 1;

    private static List<Block> StoreChain(TempStore temp, int count, int difficulty = Difficulty)
    {
        var chain = TestChains.Mine(count, difficulty);
        using var store = temp.Open();
        store.Load(difficulty);
        store.Append(chain);
        return chain;
    }

    /// <summary>Loads, checks the outcome, then checks a second load finds nothing and gives the same chain.</summary>
    private static ChainLoadOutcome LoadRepaired(TempStore temp, IReadOnlyList<Block> original, StoreDamage expected, int difficulty = Difficulty)
    {
        IReadOnlyList<Block> loaded;
        ChainLoadOutcome outcome;
        using (var store = temp.Open())
        {
            loaded = store.Load(difficulty);
            outcome = store.LastLoad!;
        }

        Assert.False(outcome.IsClean);
        Assert.Contains(outcome.Findings, f => f.Kind == expected);
        Assert.Equal(loaded.Count, outcome.Kept);
        Assert.Contains($"kept {loaded.Count} blocks", outcome.Report, StringComparison.Ordinal);
        Assert.True(TestChains.IsValidChain(loaded, difficulty));
        TestChains.AssertPrefix(original, loaded);

        using var again = temp.Open();
        Assert.Equal(loaded, again.Load(difficulty));
        Assert.True(again.LastLoad!.IsClean, again.LoadReport);
        return outcome;
    }

    [Fact]
    public void Tampered_field_drops_that_block_and_everything_above()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 12);
        temp.Sql("UPDATE blocks SET nonce = 'tampered' WHERE height = 6");
        var outcome = LoadRepaired(temp, chain, StoreDamage.InvalidBlock);
        Assert.Equal(6, outcome.Kept);
        Assert.Equal(6, outcome.Dropped);
        Assert.Contains("block 6", outcome.Report, StringComparison.Ordinal);
        Assert.Contains(nameof(BlockRule.HashMismatch), outcome.Report, StringComparison.Ordinal);
        Assert.Equal(6, temp.Scalar("SELECT count(*) FROM blocks"));
        Assert.Equal(5, temp.Scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'tip_height'"));
    }

    [Fact]
    public void Malformed_hash_is_an_invalid_block()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 8);
        // As damage would: past the CHECK constraint that refuses such a hash.
        temp.Sql("PRAGMA ignore_check_constraints = ON; UPDATE blocks SET hash = upper(hash) WHERE height = 3");
        var outcome = LoadRepaired(temp, chain, StoreDamage.InvalidBlock);
        Assert.Equal(3, outcome.Kept);
        Assert.Contains(nameof(BlockRule.HashMalformed), outcome.Report, StringComparison.Ordinal);
        Assert.Null(outcome.MovedAsideTo);
    }

    [Fact]
    public void A_wrongly_typed_field_is_a_bad_row_repaired_in_place()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 8);
        temp.Sql("PRAGMA ignore_check_constraints = ON; PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'STRICT', '') WHERE name = 'blocks'");
        temp.Sql("UPDATE blocks SET timestamp = 'yesterday' WHERE height = 2");
        temp.Sql("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = sql || ' STRICT' WHERE name = 'blocks'");
        var outcome = LoadRepaired(temp, chain, StoreDamage.BadRow);
        Assert.Equal(2, outcome.Kept);
        Assert.Contains("column timestamp holds String", outcome.Report, StringComparison.Ordinal);
        Assert.Null(outcome.MovedAsideTo);
    }

    [Fact]
    public void Messages_that_are_not_a_json_array_are_a_bad_row()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 8);
        temp.Sql("UPDATE blocks SET messages = '[\"ok\", 7]' WHERE height = 4");
        var outcome = LoadRepaired(temp, chain, StoreDamage.BadRow);
        Assert.Equal(4, outcome.Kept);
        Assert.Equal(4, outcome.Dropped);
    }

    [Fact]
    public void A_gap_in_heights_keeps_the_blocks_below_it()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 10);
        temp.Sql("DELETE FROM blocks WHERE height = 5");
        var outcome = LoadRepaired(temp, chain, StoreDamage.HeightGap);
        Assert.Equal(5, outcome.Kept);
        Assert.Equal(5, outcome.Dropped);
        Assert.Contains("height 5 is missing", outcome.Report, StringComparison.Ordinal);
        Assert.Equal(5, temp.Scalar("SELECT count(*) FROM blocks"));
    }

    [Fact]
    public void A_missing_genesis_leaves_an_empty_chain()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 5);
        temp.Sql("DELETE FROM blocks WHERE height = 0");
        var outcome = LoadRepaired(temp, chain, StoreDamage.HeightGap);
        Assert.Equal(0, outcome.Kept);
        Assert.Equal(5, outcome.Dropped);
    }

    [Fact]
    public void A_hash_without_enough_work_is_dropped()
    {
        // Mined at difficulty 0, then declared difficulty 1: the first hash not ending in '0' fails.
        using var temp = new TempStore();
        var chain = StoreChain(temp, 30, difficulty: 0);
        temp.Sql("UPDATE meta SET value = '1' WHERE key = 'difficulty'");
        var firstWeak = chain.FindIndex(b => !b.Hash.EndsWith('0'));
        var outcome = LoadRepaired(temp, chain, StoreDamage.InvalidBlock, difficulty: 1);
        Assert.Equal(firstWeak, outcome.Kept);
        Assert.Contains(nameof(BlockRule.InsufficientWork), outcome.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_tip_is_rewritten_and_every_block_kept()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 9);
        temp.Sql("DELETE FROM meta WHERE key IN ('tip_height', 'tip_hash')");
        var outcome = LoadRepaired(temp, chain, StoreDamage.MetaMissing);
        Assert.Equal(9, outcome.Kept);
        Assert.Equal(0, outcome.Dropped);
    }

    [Fact]
    public void A_missing_meta_table_is_recreated()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 4);
        temp.Sql("DROP TABLE meta");
        var outcome = LoadRepaired(temp, chain, StoreDamage.MetaMissing);
        Assert.Equal(4, outcome.Kept);
        Assert.Equal(3, outcome.Findings.Count);
    }

    [Fact]
    public void A_tip_beyond_the_stored_blocks_reports_them_missing()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 10);
        temp.Sql("UPDATE meta SET value = '19' WHERE key = 'tip_height'");
        var outcome = LoadRepaired(temp, chain, StoreDamage.TipMismatch);
        Assert.Equal(10, outcome.Kept);
        Assert.Equal(10, outcome.Dropped);
        Assert.Contains("10 recorded blocks are missing", outcome.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_tip_hash_is_corrected()
    {
        using var temp = new TempStore();
        var chain = StoreChain(temp, 6);
        temp.Sql($"UPDATE meta SET value = '{new string('0', 64)}' WHERE key = 'tip_hash'");
        var outcome = LoadRepaired(temp, chain, StoreDamage.TipMismatch);
        Assert.Equal(6, outcome.Kept);
        Assert.Equal(0, outcome.Dropped);
    }
}
