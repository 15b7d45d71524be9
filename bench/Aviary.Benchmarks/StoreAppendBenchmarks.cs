using Aviary.Chain;
using Aviary.Protocol;

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Aviary.Benchmarks;

/// <summary>
/// Sync write cost: 100,000 blocks appended in batches of 1,000 (each batch one fsync'd
/// transaction), against the same rows inserted with bare SQLite in the same batches and pragmas
/// (baseline). Each iteration starts from an empty directory.
/// Run: <c>dotnet run -c Release --project bench/Aviary.Benchmarks -- --filter '*Store*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class StoreAppendBenchmarks
{
    private List<Block> chain = null!;
    private string directory = null!;

    [GlobalSetup]
    public void Setup() => chain = BenchChain.Generate(BenchChain.Blocks);

    [IterationSetup]
    public void FreshDirectory() => directory = Directory.CreateTempSubdirectory("aviary-bench-append-").FullName;

    [IterationCleanup]
    public void RemoveDirectory() => Directory.Delete(directory, recursive: true);

    [Benchmark(Baseline = true, Description = "anchor: bare SQLite inserts, same batches")]
    public void RawInserts()
    {
        using var db = BenchChain.Connect(directory);
        using (var setup = db.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash TEXT, mined_by TEXT, nonce TEXT, messages TEXT, timestamp INTEGER)";
            setup.ExecuteNonQuery();
        }

        using var insert = db.CreateCommand();
        insert.CommandText = "INSERT INTO blocks VALUES ($h, $x, $m, $n, $g, $t)";
        var p = new[] { "$h", "$x", "$m", "$n", "$g", "$t" }.Select(name => insert.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text)).ToArray();
        for (var i = 0; i < chain.Count; i += BenchChain.Batch)
        {
            using var transaction = db.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var b in chain.GetRange(i, BenchChain.Batch))
            {
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) = (b.Height, b.Hash, b.MinedBy, b.Nonce, string.Join('\n', b.Messages), b.Timestamp);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    [Benchmark(Description = "SqliteChainStore.Append, 1k per batch")]
    public long StoreAppend()
    {
        using var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(directory));
        store.Load(0);
        BenchChain.AppendAll(store, chain);
        return store.Count;
    }
}
