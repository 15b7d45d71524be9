using Aviary.Chain;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Says what is durable: one log line per change of our chain, written after the store returned.</summary>
internal sealed class CommitLog
{
    private readonly LocalChain chain;
    private readonly ILogger logger;
    private long committedCount;

    public CommitLog(LocalChain chain, ILogger logger)
    {
        this.chain = chain;
        this.logger = logger;
        committedCount = chain.Count;
        chain.Changed += OnCommitted;
    }

    /// <summary>
    /// <see cref="LocalChain.Changed"/> fires only after the store's transaction returned, so the
    /// height logged here is on disk: a crash after this line cannot lose it. One line per commit: a
    /// sync batch, a reorg, or one appended block (an ANNOUNCE or a block we mined).
    /// </summary>
    private void OnCommitted(long fromHeight)
    {
        if (fromHeight < committedCount)
        {
            logger.LogInformation("chain: committed height {Height} (top {Top}), replacing blocks from height {Fork}", chain.Count, chain.TopHash ?? "none", fromHeight);
        }
        else
        {
            logger.LogInformation("chain: committed height {Height} (top {Top})", chain.Count, chain.TopHash ?? "none");
        }

        committedCount = chain.Count;
    }
}
