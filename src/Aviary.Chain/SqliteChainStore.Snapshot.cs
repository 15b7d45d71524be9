using System.Globalization;

using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain;

/// <summary>A chain read from a store without changing it: the valid prefix, the recorded difficulty and what was wrong.</summary>
public sealed record StoredChainSnapshot(IReadOnlyList<Block> Blocks, int? RecordedDifficulty, IReadOnlyList<StoreFinding> Findings);

/// <summary>Read-only access, safe while a node holds the store (WAL readers see the last commit).</summary>
public sealed partial class SqliteChainStore
{
    /// <summary>
    /// Reads and verifies the stored chain in one read transaction, at <paramref name="difficulty"/>
    /// or (null) the recorded one, repairing nothing: <see cref="StoredChainSnapshot.Blocks"/> is the
    /// longest valid prefix and the findings say what lies beyond it. Throws
    /// <see cref="ChainStoreException"/> when there is no file or it cannot be opened.
    /// </summary>
    public static StoredChainSnapshot ReadSnapshot(string path, int? difficulty = null)
    {
        if (!File.Exists(path))
        {
            throw new ChainStoreException($"no chain database at {path}");
        }

        using var db = OpenReadOnly(path);
        try
        {
            db.Open();
            using var transaction = db.BeginTransaction(deferred: true);
            var scan = StoreScanner.Scan(db, transaction, difficulty, integrityCheck: false);
            return new StoredChainSnapshot(scan.Valid, scan.Meta.Difficulty, scan.Findings);
        }
        catch (SqliteException e) when (StoreScanner.IsDamage(e))
        {
            return new StoredChainSnapshot([], null, [StoreScanner.DamageFinding(e)]);
        }
        catch (SqliteException e)
        {
            throw new ChainStoreException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>The difficulty recorded in the store at <paramref name="path"/>; null when there is no readable one.</summary>
    public static int? ReadRecordedDifficulty(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var db = OpenReadOnly(path);
        try
        {
            db.Open();
            using var select = db.CreateCommand();
            select.CommandText = "SELECT value FROM meta WHERE key = $key";
            select.Parameters.AddWithValue("$key", SqliteSchema.DifficultyKey);
            return select.ExecuteScalar() is string text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d <= 64 ? d : null;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static SqliteConnection OpenReadOnly(string path) =>
        new(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
}
