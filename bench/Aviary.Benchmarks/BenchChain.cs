using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Benchmarks;

/// <summary>Chains and raw SQLite access shared by the store benchmarks.</summary>
internal static class BenchChain
{
    public const int Blocks = 100_000;
    public const int Batch = 1_000;

    /// <summary>A valid chain at difficulty 0 (any hash meets it), with realistic field sizes.</summary>
    public static List<Block> Generate(int count)
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

    /// <summary>Appends the chain to a store in batches.</summary>
    public static void AppendAll(SqliteChainStore store, List<Block> chain)
    {
        for (var i = 0; i < chain.Count; i += Batch)
        {
            store.Append(chain.GetRange(i, Math.Min(Batch, chain.Count - i)));
        }
    }

    public static SqliteConnection Connect(string directory)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DataDirectory.ChainDatabase(directory), Pooling = false }.ToString());
        db.Open();
        return db;
    }
}
