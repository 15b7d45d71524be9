using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>What is appended or replaced comes back exactly after a reopen, and bad calls change nothing.</summary>
public sealed class StoreRoundTripTests
{
    [Fact]
    public void New_store_loads_empty_and_clean()
    {
        using var temp = new TempStore();
        using var store = temp.Open();
        Assert.Empty(store.Load(2));
        Assert.True(store.LastLoad!.IsClean, store.LoadReport);
        Assert.Equal(string.Empty, store.LoadReport);
        Assert.True(File.Exists(temp.Db));
        Assert.StartsWith("sqlite ", store.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Appended_batches_survive_reopen()
    {
        var chain = TestChains.Mine(40, difficulty: 1);
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            store.Load(1);
            store.Append(chain[..1]);
            store.Append(chain[1..25]);
            store.Append([]);
            store.Append(chain[25..]);
            Assert.Equal(40, store.Count);
        }

        using var reopened = temp.Open();
        Assert.Equal(chain, reopened.Load(1));
        Assert.True(reopened.LastLoad!.IsClean, reopened.LoadReport);
        Assert.Equal(40, reopened.LastLoad.Kept);
    }

    [Fact]
    public void Exact_fields_survive_unicode_control_characters_and_markup()
    {
        var genesis = TestChains.MineOne(0, null, "<b>Bad Actor</b>", ["protégé's", "\"quoted\" \\ back", "tab\there", "nul\0inside", "🐦 bird"], 0, 0, "*Ic\u001dB:D\u0012e?");
        var next = TestChains.MineOne(1, genesis.Hash, "Bryce", ["x"], long.MaxValue / 2, 0, "\u0000");
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            store.Load(0);
            store.Append([genesis, next]);
        }

        using var reopened = temp.Open();
        var loaded = reopened.Load(0);
        Assert.Equal([genesis, next], loaded);
        Assert.True(reopened.LastLoad!.IsClean, reopened.LoadReport);
    }

    [Fact]
    public void Append_with_a_height_gap_or_before_load_changes_nothing()
    {
        var chain = TestChains.Mine(6, difficulty: 1);
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            Assert.Throws<InvalidOperationException>(() => store.Append(chain[..1]));
            store.Load(1);
            store.Append(chain[..3]);
            Assert.Throws<InvalidOperationException>(() => store.Append(chain[4..]));
            Assert.Throws<InvalidOperationException>(() => store.Append([chain[3], chain[5]]));
            Assert.Throws<ArgumentOutOfRangeException>(() => store.ReplaceFrom(4, chain[4..]));
            Assert.Equal(3, store.Count);
        }

        using var reopened = temp.Open();
        Assert.Equal(chain[..3], reopened.Load(1));
        Assert.True(reopened.LastLoad!.IsClean, reopened.LoadReport);
    }

    [Fact]
    public void ReplaceFrom_swaps_the_top_and_can_truncate()
    {
        var main = TestChains.Mine(10, difficulty: 1);
        var branch = TestChains.Mine(7, difficulty: 1, parent: main[4], minedBy: "rival");
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            store.Load(1);
            store.Append(main);
            store.ReplaceFrom(5, branch);
            Assert.Equal(12, store.Count);
        }

        List<Block> expected = [.. main[..5], .. branch];
        using (var store = temp.Open())
        {
            Assert.Equal(expected, store.Load(1));
            Assert.True(store.LastLoad!.IsClean, store.LoadReport);
            store.ReplaceFrom(3, []);
        }

        using (var store = temp.Open())
        {
            Assert.Equal(expected[..3], store.Load(1));
            Assert.True(store.LastLoad!.IsClean, store.LoadReport);
            store.ReplaceFrom(0, []);
        }

        using var emptied = temp.Open();
        Assert.Empty(emptied.Load(1));
        Assert.True(emptied.LastLoad!.IsClean, emptied.LoadReport);
    }

    [Fact]
    public void A_second_store_on_the_same_file_is_refused_until_the_first_is_closed()
    {
        using var temp = new TempStore();
        var first = temp.Open();
        first.Load(0);
        var refused = Assert.Throws<ChainStoreException>(temp.Open);
        Assert.Contains("another aviary", refused.Message, StringComparison.Ordinal);
        first.Dispose();
        using var second = temp.Open();
        Assert.Empty(second.Load(0));
    }

    [Fact]
    public void Snapshot_reads_the_committed_chain_while_the_store_is_open()
    {
        var chain = TestChains.Mine(8, difficulty: 1);
        using var temp = new TempStore();
        using var store = temp.Open();
        store.Load(1);
        store.Append(chain);
        var snapshot = SqliteChainStore.ReadSnapshot(temp.Db);
        Assert.Equal(chain, snapshot.Blocks);
        Assert.Equal(1, snapshot.RecordedDifficulty);
        Assert.Empty(snapshot.Findings);
        Assert.Equal(1, SqliteChainStore.ReadRecordedDifficulty(temp.Db));
        Assert.Null(SqliteChainStore.ReadRecordedDifficulty(temp.Db + ".absent"));
    }
}
