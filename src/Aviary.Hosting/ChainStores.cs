using Aviary.Chain;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting;

/// <summary>Opens the chain store the settings ask for: SQLite in the data directory, or memory.</summary>
public static class ChainStores
{
    /// <summary>The store, or null with <paramref name="error"/> when it cannot be opened (in use, unwritable).</summary>
    public static IChainStore? Open(NodeSettings settings, out string error)
    {
        error = string.Empty;
        if (settings.InMemory)
        {
            return new InMemoryChainStore();
        }

        if (!DataDirectory.IsValidNetworkName(settings.Network))
        {
            error = $"network name \"{settings.Network}\" cannot name a data directory";
            return null;
        }

        var path = DataDirectory.ChainDatabase(DataDirectory.Resolve(settings.Data, settings.Network));
        try
        {
            return SqliteChainStore.Open(path);
        }
        catch (ChainStoreException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Logs what loading found: a repaired store is reported loudly, a sound one in one line.</summary>
    public static void Report(IChainStore store, LocalChain chain, ILogger logger)
    {
        if (string.IsNullOrEmpty(store.LoadReport))
        {
            logger.LogInformation("chain: {Count} verified blocks loaded from {Store}", chain.Count, store.Description);
        }
        else
        {
            logger.LogWarning("chain store repaired: {Report}", store.LoadReport);
        }
    }
}
