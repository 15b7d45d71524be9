using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain;

/// <summary>Reads one row of the blocks table (in <see cref="SqliteSchema.SelectBlocks"/> column order) defensively.</summary>
internal static class BlockRow
{
    /// <summary>The block in the current row, or null with <paramref name="problem"/> saying which field is wrong.</summary>
    public static Block? TryRead(SqliteDataReader row, out string problem)
    {
        var typesSound = row.GetInt64(SqliteSchema.BlockColumns.Length) == 1;
        for (var i = 0; !typesSound && i < SqliteSchema.BlockColumns.Length; i++)
        {
            var expected = i is 0 or 5 ? typeof(long) : typeof(string);
            if (row.IsDBNull(i) || row.GetFieldType(i) != expected)
            {
                problem = $"column {SqliteSchema.BlockColumns[i]} holds {(row.IsDBNull(i) ? "NULL" : row.GetFieldType(i).Name)}, not {(expected == typeof(long) ? "an integer" : "text")}";
                return null;
            }
        }

        var height = row.GetInt64(0);
        if (!MessagesColumn.TryDecode(row.GetFieldValue<byte[]>(4), out var messages))
        {
            problem = $"the messages of height {height} are not a JSON array of strings";
            return null;
        }

        problem = string.Empty;
        return new Block(height, row.GetString(2), row.GetString(3), messages, row.GetString(1), row.GetInt64(5));
    }
}
