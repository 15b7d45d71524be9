using Aviary.Chain;

namespace Aviary.Bench;

/// <summary>The syncing node's store for <c>aviary bench sync</c>: memory, or SQLite in a temporary directory removed afterwards.</summary>
internal sealed class BenchStore : IDisposable
{
    private readonly string? directory;

    private BenchStore(IChainStore store, string? directory)
    {
        Store = store;
        this.directory = directory;
    }

    public IChainStore Store { get; }

    public static BenchStore Create(bool sqlite)
    {
        if (!sqlite)
        {
            return new BenchStore(new InMemoryChainStore(), null);
        }

        var directory = Directory.CreateTempSubdirectory("aviary-bench-store-").FullName;
        return new BenchStore(SqliteChainStore.Open(DataDirectory.ChainDatabase(directory)), directory);
    }

    public void Dispose()
    {
        Store.Dispose();
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
