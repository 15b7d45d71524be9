using Aviary.Chain;
using Aviary.Protocol;

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Aviary.Benchmarks;

/// <summary>
/// Restart cost at 100,000 stored blocks: open + verified <see cref="SqliteChainStore.Load"/>, against
/// two anchors in the same run: SQLite reading the raw rows with no decoding or checks (baseline), and
/// parsing + verifying the same chain from its JSON file.
/// Run: <c>dotnet run -c Release --project bench/Aviary.Benchmarks -- --filter '*Store*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class StoreLoadBenchmarks
{
    private List<Block> chain = null!;
    private string directory = null!;
    private byte[] chainFile = null!;

    [GlobalSetup]
    public void Setup()
    {
        chain = BenchChain.Generate(BenchChain.Blocks);
        directory = Directory.CreateTempSubdirectory("aviary-bench-load-").FullName;
        using (var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(directory)))
        {
            store.Load(0);
            BenchChain.AppendAll(store, chain);
        }

        using var file = new MemoryStream();
        BlockFile.Write(chain, file);
        chainFile = file.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(directory, recursive: true);

    [Benchmark(Baseline = true, Description = "anchor: SQLite raw rows, no checks")]
    public long RawRows()
    {
        using var db = BenchChain.Connect(directory);
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

    [Benchmark(Description = "open + verified Load")]
    public int OpenAndLoad()
    {
        using var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(directory));
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
}
