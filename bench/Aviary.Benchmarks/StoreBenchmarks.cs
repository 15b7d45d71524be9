using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

using Microsoft.Data.Sqlite;

namespace Aviary.Benchmarks;

/// <summary>
/// Restart and sync costs of the SQLite store at 100,000 blocks: open + verified load, appending in
/// batches of 1,000 (one fsync'd transaction each), and, as anchors in the same run, SQLite reading
/// the raw rows with no decoding or checks, and parsing + verifying the same chain from a JSON file.
/// Run: <c>dotnet run -c Release --project bench/Aviary.Benchmarks -- --filter '*StoreBenchmarks*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class StoreBenchmarks
{
    private const int Blocks = 100_000;
    private const int Batch = 1_000;

    private List<Block> chain = null!;
    private string loadDirectory = null!;
    private byte[] chainFile = null!;
    private string appendDirectory = null!;

    [GlobalSetup]
    public void Setup()
    {
        chain = Generate(Blocks);
        loadDirectory = Directory.CreateTempSubdirectory("aviary-bench-load-").FullName;
        using (var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(loadDirectory)))
        {
            store.Load(0);
            AppendAll(store);
        }

        using var file = new MemoryStream();
        BlockFile.Write(chain, file);
        chainFile = file.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(loadDirectory, recursive: true);

    [IterationSetup(Target = nameof(Append100kInBatchesOf1k))]
    public void FreshDirectory() => appendDirectory = Directory.CreateTempSubdirectory("aviary-bench-append-").FullName;

    [IterationCleanup(Target = nameof(Append100kInBatchesOf1k))]
    public void RemoveDirectory() => Directory.Delete(appendDirectory, recursive: true);

    [Benchmark(Baseline = true, Description = "anchor: SQLite raw rows, no checks")]
    public long RawRows()
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DataDirectory.ChainDatabase(loadDirectory), Pooling = false }.ToString());
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT height, hash, mined_by, nonce, messages, timestamp FROM blocks ORDER BY height";
        using var row = select.ExecuteReader();
        long n = 0;
        while (row.Read())
        {
            n += row.GetInt64(0) + row.GetString(1).Length + row.GetString(2).Length + row.GetString(3).Length + row.GetString(4).Length + row.GetInt64(5);
        }

        return n;
    }

    [Benchmark(Description = "open + verified Load, 100k blocks")]
    public int OpenAndLoad()
    {
        using var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(loadDirectory));
        return store.Load(0).Count;
    }

    [Benchmark(Description = "anchor: parse + verify the JSON chain file")]
    public int ParseAndVerifyFile()
    {
        BlockFile.TryRead(chainFile, out var blocks, out _);
        string? previous = null;
        foreach (var block in blocks)
        {
            if (!BlockValidator.Validate(block, previous, block.Height, 0).IsValid)
            {
                return -1;
            }

            previous = block.Hash;
        }

        return blocks.Count;
    }

    [Benchmark(Description = "append 100k in batches of 1k (fsync each)")]
    public long Append100kInBatchesOf1k()
    {
        using var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(appendDirectory));
        store.Load(0);
        AppendAll(store);
        return store.Count;
    }

    private void AppendAll(SqliteChainStore store)
    {
        for (var i = 0; i < chain.Count; i += Batch)
        {
            store.Append(chain.GetRange(i, Math.Min(Batch, chain.Count - i)));
        }
    }

    /// <summary>A valid chain at difficulty 0 (any hash meets it), with realistic field sizes.</summary>
    private static List<Block> Generate(int count)
    {
        var blocks = new List<Block>(count);
        string? previous = null;
        for (var height = 0; height < count; height++)
        {
            var block = new Block(height, "Aviary bench", (height * 7919L).ToString(CultureInfo.InvariantCulture), ["penitence", "regenerates", $"block {height}"], string.Empty, 1_700_000_000 + height);
            block = block with { Hash = BlockHasher.Compute(block, previous) };
            blocks.Add(block);
            previous = block.Hash;
        }

        return blocks;
    }
}
