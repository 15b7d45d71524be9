using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Says what is durable: one log line per change of our chain, written after the store returned.</summary>
public sealed partial class NodeCore
{
    private long committedCount;

    /// <summary>
    /// <see cref="Chain.LocalChain.Changed"/> fires only after the store's transaction returned, so the
    /// height logged here is on disk: a crash after this line cannot lose it. One line per commit: a
    /// sync batch, a reorg, or one appended block (an ANNOUNCE or a block we mined).
    /// </summary>
    private void OnCommitted(long fromHeight)
    {
        if (fromHeight < committedCount)
        {
            logger.LogInformation("chain: committed height {Height} (top {Top}), replacing blocks from height {Fork}", Chain.Count, Chain.TopHash ?? "none", fromHeight);
        }
        else
        {
            logger.LogInformation("chain: committed height {Height} (top {Top})", Chain.Count, Chain.TopHash ?? "none");
        }

        committedCount = Chain.Count;
    }
}
