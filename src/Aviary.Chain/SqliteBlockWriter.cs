using System.Globalization;

using Aviary.Protocol;

using Microsoft.Data.Sqlite;

using SQLitePCL;

namespace Aviary.Chain;

/// <summary>
/// The store's write statements, created once per connection and reused (SQLite keeps each one
/// prepared): insert a block, delete from a height, upsert a meta entry. Every call runs inside the
/// caller's transaction. The block insert, run 2,048 times per sync commit, is a raw SQLite
/// statement bound by position (SQLitePCLRaw, under Microsoft.Data.Sqlite): through
/// <see cref="SqliteCommand"/> each execution looked up every parameter by name and re-read the
/// statement list, which cost the syncing node more than the rest of its work per block.
/// </summary>
internal sealed class SqliteBlockWriter : IDisposable
{
    private readonly SqliteConnection connection;
    /// <summary>Prepared at the first insert: the writer exists before the schema does.</summary>
    private sqlite3_stmt? insert;
    private readonly SqliteCommand deleteFrom;
    private readonly SqliteCommand upsertMeta;
    private readonly SqliteCommand hashAt;
    private readonly MessagesColumn messagesColumn = new();

    public SqliteBlockWriter(SqliteConnection connection)
    {
        this.connection = connection;
        deleteFrom = Command(SqliteSchema.DeleteFrom);
        deleteFrom.Parameters.Add("$height", SqliteType.Integer);
        upsertMeta = Command(SqliteSchema.UpsertMeta);
        upsertMeta.Parameters.Add("$key", SqliteType.Text);
        upsertMeta.Parameters.Add("$value", SqliteType.Text);
        hashAt = Command(SqliteSchema.HashAt);
        hashAt.Parameters.Add("$height", SqliteType.Integer);
    }

    /// <summary>Creates the tables if they are missing.</summary>
    public void CreateSchema(SqliteTransaction transaction)
    {
        using var create = Command(SqliteSchema.Create);
        create.Transaction = transaction;
        create.ExecuteNonQuery();
    }

    /// <summary>Inserts <paramref name="blocks"/>; a row that breaks a CHECK throws <see cref="SqliteException"/> and fails the transaction.</summary>
    public void Insert(SqliteTransaction transaction, IReadOnlyList<Block> blocks)
    {
        if (transaction.Connection != connection)
        {
            throw new InvalidOperationException("the transaction belongs to another connection");
        }

        if (insert is null)
        {
            Check(raw.sqlite3_prepare_v2(connection.Handle, SqliteSchema.InsertBlock, out var prepared));
            insert = prepared;
        }

        foreach (var block in blocks)
        {
            Check(raw.sqlite3_bind_int64(insert, 1, block.Height));
            Check(raw.sqlite3_bind_text(insert, 2, block.Hash));
            Check(raw.sqlite3_bind_text(insert, 3, block.MinedBy));
            Check(raw.sqlite3_bind_text(insert, 4, block.Nonce));
            Check(raw.sqlite3_bind_text(insert, 5, messagesColumn.Encode(block.Messages)));
            Check(raw.sqlite3_bind_int64(insert, 6, block.Timestamp));
            var done = raw.sqlite3_step(insert);
            raw.sqlite3_reset(insert);
            if (done != raw.SQLITE_DONE)
            {
                Check(done);
            }
        }
    }

    /// <summary>Deletes every block at or above <paramref name="from"/>; returns how many went.</summary>
    public int DeleteFrom(SqliteTransaction transaction, long from)
    {
        deleteFrom.Transaction = transaction;
        deleteFrom.Parameters[0].Value = from;
        return deleteFrom.ExecuteNonQuery();
    }

    /// <summary>The stored hash at <paramref name="at"/>, or null.</summary>
    public string? HashAt(SqliteTransaction transaction, long at)
    {
        hashAt.Transaction = transaction;
        hashAt.Parameters[0].Value = at;
        return hashAt.ExecuteScalar() as string;
    }

    public void SetMeta(SqliteTransaction transaction, string key, string value)
    {
        upsertMeta.Transaction = transaction;
        upsertMeta.Parameters[0].Value = key;
        upsertMeta.Parameters[1].Value = value;
        upsertMeta.ExecuteNonQuery();
    }

    /// <summary>Records the tip of a chain of <paramref name="count"/> blocks whose top hash is <paramref name="topHash"/>.</summary>
    public void SetTip(SqliteTransaction transaction, long count, string? topHash)
    {
        SetMeta(transaction, SqliteSchema.TipHeightKey, (count - 1).ToString(CultureInfo.InvariantCulture));
        SetMeta(transaction, SqliteSchema.TipHashKey, topHash ?? string.Empty);
    }

    /// <summary>Records the schema version and difficulty (a new or repaired store).</summary>
    public void SetHeader(SqliteTransaction transaction, int difficulty)
    {
        SetMeta(transaction, SqliteSchema.SchemaVersionKey, SqliteSchema.Version.ToString(CultureInfo.InvariantCulture));
        SetMeta(transaction, SqliteSchema.DifficultyKey, difficulty.ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        insert?.Dispose();
        deleteFrom.Dispose();
        upsertMeta.Dispose();
        hashAt.Dispose();
    }

    /// <summary>Throws the error SQLite reported for <paramref name="result"/>, as Microsoft.Data.Sqlite would.</summary>
    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result, raw.sqlite3_extended_errcode(connection.Handle));
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
