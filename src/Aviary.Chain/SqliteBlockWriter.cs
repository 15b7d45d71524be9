using System.Globalization;

using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain;

/// <summary>
/// The store's write statements, created once per connection and reused (SQLite keeps each one
/// prepared): insert a block, delete from a height, upsert a meta entry. Every call runs inside the
/// caller's transaction.
/// </summary>
internal sealed class SqliteBlockWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly SqliteParameter height;
    private readonly SqliteParameter hash;
    private readonly SqliteParameter minedBy;
    private readonly SqliteParameter nonce;
    private readonly SqliteParameter messages;
    private readonly SqliteParameter timestamp;
    private readonly SqliteCommand deleteFrom;
    private readonly SqliteCommand upsertMeta;
    private readonly SqliteCommand hashAt;
    private readonly MessagesColumn messagesColumn = new();

    public SqliteBlockWriter(SqliteConnection connection)
    {
        this.connection = connection;
        insert = Command(SqliteSchema.InsertBlock);
        height = insert.Parameters.Add("$height", SqliteType.Integer);
        hash = insert.Parameters.Add("$hash", SqliteType.Text);
        minedBy = insert.Parameters.Add("$minedBy", SqliteType.Text);
        nonce = insert.Parameters.Add("$nonce", SqliteType.Text);
        messages = insert.Parameters.Add("$messages", SqliteType.Text);
        timestamp = insert.Parameters.Add("$timestamp", SqliteType.Integer);
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

    public void Insert(SqliteTransaction transaction, IReadOnlyList<Block> blocks)
    {
        insert.Transaction = transaction;
        foreach (var block in blocks)
        {
            height.Value = block.Height;
            hash.Value = block.Hash;
            minedBy.Value = block.MinedBy;
            nonce.Value = block.Nonce;
            messages.Value = messagesColumn.Encode(block.Messages);
            timestamp.Value = block.Timestamp;
            insert.ExecuteNonQuery();
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
        insert.Dispose();
        deleteFrom.Dispose();
        upsertMeta.Dispose();
        hashAt.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
