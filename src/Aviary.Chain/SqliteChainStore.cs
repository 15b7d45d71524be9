using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain;

/// <summary>
/// The durable chain store: one SQLite file in WAL mode, a row per block keyed by height and a meta
/// table (schema version, difficulty, tip). Appends and reorgs are one transaction each and durable
/// when they return. <see cref="Load"/> verifies the whole chain and repairs damage (see
/// <see cref="LastLoad"/>). One process at a time: a lock file beside the database keeps a second
/// Aviary out. Single-threaded, like the core that owns it.
/// </summary>
public sealed partial class SqliteChainStore : IChainStore
{
    private readonly FileStream lockFile;
    private SqliteConnection? connection;
    private SqliteBlockWriter? writer;
    private long count;
    private bool disposed;

    private SqliteChainStore(string path, FileStream lockFile)
    {
        DatabasePath = path;
        this.lockFile = lockFile;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    public string Description => $"sqlite {DatabasePath}";

    /// <summary>What the last <see cref="Load"/> found and did; null before the first load.</summary>
    public ChainLoadOutcome? LastLoad { get; private set; }

    public string LoadReport => LastLoad?.Report ?? string.Empty;

    /// <summary>Blocks stored (after <see cref="Load"/>).</summary>
    public long Count => count;

    /// <summary>
    /// Opens (creating the directory if needed) the store at <paramref name="path"/> and takes its lock.
    /// Nothing is read until <see cref="Load"/>. Throws <see cref="ChainStoreException"/> when the
    /// directory cannot be created or another process holds the store.
    /// </summary>
    public static SqliteChainStore Open(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChainStoreException($"cannot create the data directory for {full}: {e.Message}", e);
        }

        return new SqliteChainStore(full, TakeLock(full + ".lock"));
    }

    public void Append(IReadOnlyList<Block> blocks)
    {
        var (db, w) = RequireLoaded();
        ChainStoreChecks.RequireConsecutive(blocks, count, "append");
        if (blocks.Count == 0)
        {
            return;
        }

        using (var transaction = db.BeginTransaction(deferred: false))
        {
            w.Insert(transaction, blocks);
            w.SetTip(transaction, count + blocks.Count, blocks[^1].Hash);
            transaction.Commit();
        }

        count += blocks.Count;
    }

    public void ReplaceFrom(long forkHeight, IReadOnlyList<Block> blocks)
    {
        var (db, w) = RequireLoaded();
        ChainStoreChecks.RequireForkHeight(forkHeight, count);
        ChainStoreChecks.RequireConsecutive(blocks, forkHeight, "replace");
        var newCount = forkHeight + blocks.Count;
        string? newTop;
        using (var transaction = db.BeginTransaction(deferred: false))
        {
            w.DeleteFrom(transaction, forkHeight);
            w.Insert(transaction, blocks);
            newTop = blocks.Count > 0 ? blocks[^1].Hash : forkHeight == 0 ? null : w.HashAt(transaction, forkHeight - 1);
            w.SetTip(transaction, newCount, newTop);
            transaction.Commit();
        }

        count = newCount;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        CloseConnection();
        lockFile.Dispose();
    }

    private (SqliteConnection Connection, SqliteBlockWriter Writer) RequireLoaded()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return connection is not null && writer is not null
            ? (connection, writer)
            : throw new InvalidOperationException("load the store before changing it");
    }

    private static FileStream TakeLock(string path)
    {
        try
        {
            // FileShare.None is an exclusive advisory lock (flock on Unix) held until Dispose.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChainStoreException($"{path} is locked or unwritable: is another aviary using this data directory? ({e.Message})", e);
        }
    }

    /// <summary>
    /// WAL with synchronous=FULL: every commit fsyncs the WAL before returning, so a block is durable
    /// against power loss as well as process crashes. (NORMAL would only survive process crashes: the
    /// last commits could roll back after an OS crash, and we promise peers that what we announce is
    /// stored.) Appends come one block per mined or received block, so the fsync is affordable; bulk
    /// sync batches many blocks per commit.
    /// </summary>
    private SqliteConnection OpenConnection()
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            db.Open();
            Execute(db, "PRAGMA journal_mode = WAL");
            Execute(db, "PRAGMA synchronous = FULL");
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private void CloseConnection()
    {
        writer?.Dispose();
        writer = null;
        connection?.Dispose();
        connection = null;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
