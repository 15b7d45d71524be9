using Microsoft.Data.Sqlite;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>A temporary data directory, deleted on dispose, with raw SQL access to its database.</summary>
internal sealed class TempStore : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("aviary-store-").FullName;

    public string Db => DataDirectory.ChainDatabase(Directory);

    public SqliteChainStore Open() => SqliteChainStore.Open(Db);

    /// <summary>Runs SQL on the database file behind the store's back (the store must be closed).</summary>
    public void Sql(string sql) => Sql(Db, sql);

    public static void Sql(string path, string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public long Scalar(string sql) => Scalar(Db, sql);

    public static long Scalar(string path, string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
