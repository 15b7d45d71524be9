using Aviary.Protocol;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>
/// The files as a killed process leaves them: copied while the store is still open (the WAL not yet
/// checkpointed). Every committed block is there; a torn WAL tail loses only whole transactions.
/// </summary>
public sealed class CrashCopyTests
{
    private const int Difficulty = 1;

    private static List<Block> AppendInBatches(SqliteChainStore store, int batches, int size)
    {
        var chain = TestChains.Mine(batches * size, Difficulty);
        for (var i = 0; i < chain.Count; i += size)
        {
            store.Append(chain[i..(i + size)]);
        }

        return chain;
    }

    private static void CopyLiveFiles(string fromDb, string toDb)
    {
        File.Copy(fromDb, toDb);
        Assert.True(File.Exists(fromDb + "-wal"), "the open store keeps a WAL");
        File.Copy(fromDb + "-wal", toDb + "-wal");
    }

    [Fact]
    public void Copy_of_an_open_store_holds_every_committed_block()
    {
        using var live = new TempStore();
        using var copy = new TempStore();
        using (var store = live.Open())
        {
            store.Load(Difficulty);
            var chain = AppendInBatches(store, batches: 20, size: 5);
            CopyLiveFiles(live.Db, copy.Db);

            using var recovered = copy.Open();
            Assert.Equal(chain, recovered.Load(Difficulty));
            Assert.True(recovered.LastLoad!.IsClean, recovered.LoadReport);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(20000)]
    public void Torn_wal_tail_loses_whole_transactions_only(int tornBytes)
    {
        using var live = new TempStore();
        using var copy = new TempStore();
        using var store = live.Open();
        store.Load(Difficulty);
        var chain = AppendInBatches(store, batches: 20, size: 5);
        CopyLiveFiles(live.Db, copy.Db);
        var wal = new FileInfo(copy.Db + "-wal");
        using (var stream = wal.Open(FileMode.Open))
        {
            stream.SetLength(Math.Max(0, wal.Length - tornBytes));
        }

        using var recovered = copy.Open();
        var loaded = recovered.Load(Difficulty);
        Assert.True(recovered.LastLoad!.IsClean, recovered.LoadReport);
        Assert.True(loaded.Count % 5 == 0, $"{loaded.Count} blocks is not a whole number of 5-block commits");
        Assert.True(loaded.Count < chain.Count);
        TestChains.AssertPrefix(chain, loaded);
    }
}
