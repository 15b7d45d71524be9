namespace Aviary.Web;

/// <summary>
/// What the dashboard shows about a miner, when the node runs one. The CLI maps its miner's state to
/// this; the provider is called from web threads, so it must be thread-safe.
/// </summary>
/// <param name="Mining">True while nonce search is running.</param>
/// <param name="Threads">Worker threads searching.</param>
/// <param name="HashesPerSecond">Recent hash rate, all threads together.</param>
/// <param name="BlocksMined">Blocks this node mined and announced since it started.</param>
/// <param name="MiningHeight">The height of the block being searched for, if any.</param>
/// <param name="CurrentMessages">The messages of the block being searched for ("currently mining").</param>
/// <param name="QueuedWords">Words waiting for a later block ("data to mine", from NEW_WORD).</param>
public sealed record MinerStatus(
    bool Mining,
    int Threads,
    double HashesPerSecond,
    long BlocksMined,
    long? MiningHeight,
    IReadOnlyList<string> CurrentMessages,
    IReadOnlyList<string> QueuedWords);
