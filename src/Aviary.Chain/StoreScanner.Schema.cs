using System.Globalization;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain;

internal static partial class StoreScanner
{
    private enum Layout
    {
        Empty,
        Ours,
        Foreign,
    }

    /// <summary>Empty (no tables), ours (blocks and/or meta with our columns), or foreign (anything else).</summary>
    private static (Layout Layout, bool HasBlocks) ReadLayout(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var tables = new List<string>();
        using (var list = Command(connection, transaction, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))
        using (var row = list.ExecuteReader())
        {
            while (row.Read())
            {
                tables.Add(row.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            return (Layout.Empty, false);
        }

        foreach (var table in tables)
        {
            var expected = table switch
            {
                "blocks" => SqliteSchema.BlockColumns,
                "meta" => SqliteSchema.MetaColumns,
                _ => null,
            };
            if (expected is null || !Columns(connection, transaction, table).SequenceEqual(expected))
            {
                return (Layout.Foreign, false);
            }
        }

        return (Layout.Ours, tables.Contains("blocks"));
    }

    private static List<string> Columns(SqliteConnection connection, SqliteTransaction? transaction, string table)
    {
        using var info = Command(connection, transaction, "SELECT name FROM pragma_table_info($table) ORDER BY cid");
        info.Parameters.AddWithValue("$table", table);
        using var row = info.ExecuteReader();
        var columns = new List<string>();
        while (row.Read())
        {
            columns.Add(row.GetString(0));
        }

        return columns;
    }

    private static StoredMeta ReadMeta(SqliteConnection connection, SqliteTransaction? transaction)
    {
        if (!Columns(connection, transaction, "meta").SequenceEqual(SqliteSchema.MetaColumns))
        {
            return new StoredMeta();
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var select = Command(connection, transaction, SqliteSchema.SelectMeta))
        using (var row = select.ExecuteReader())
        {
            while (row.Read())
            {
                if (!row.IsDBNull(0) && !row.IsDBNull(1))
                {
                    values[row.GetString(0)] = row.GetString(1);
                }
            }
        }

        var tipHash = values.GetValueOrDefault(SqliteSchema.TipHashKey);
        return new StoredMeta(
            Number(values, SqliteSchema.SchemaVersionKey),
            Number(values, SqliteSchema.DifficultyKey) is { } d and >= 0 and <= 64 ? (int)d : null,
            Number(values, SqliteSchema.TipHeightKey) is { } h and >= -1 ? h : null,
            tipHash);
    }

    /// <summary>Stored rows at or above <paramref name="height"/>; 0 when SQLite cannot count them.</summary>
    public static long CountFrom(SqliteConnection connection, SqliteTransaction? transaction, long height)
    {
        try
        {
            using var count = Command(connection, transaction, SqliteSchema.CountFrom);
            count.Parameters.AddWithValue("$height", height);
            return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            return 0;
        }
    }

    private static long? Number(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Short(string? hash) => string.IsNullOrEmpty(hash) ? "no hash" : hash.Length > 16 ? hash[..16] + "…" : hash;

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
