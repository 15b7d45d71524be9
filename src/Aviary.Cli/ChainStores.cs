using Aviary.Chain;

using Microsoft.Extensions.Logging;

namespace Aviary.Cli;

/// <summary>Opens the chain store the settings ask for.</summary>
internal static class ChainStores
{
    public static IChainStore Open(NodeSettings settings, ILogger logger)
    {
        if (!settings.InMemory)
        {
            logger.LogWarning("the durable store is not wired into this build yet; keeping the chain in memory");
        }

        return new InMemoryChainStore();
    }
}
