using Aviary.Node.Mining;

namespace Aviary.Node;

/// <summary>
/// The miner section of <see cref="NodeStatus"/> (null when the node does not mine): what is being mined,
/// how fast, the word queue, and blocks per miner over our chain. <see cref="AttemptsPerSecond"/> is the
/// node's CPU threads; <see cref="Gpus"/> the node's own GPUs (empty without <c>--gpu</c>), each with its rate.
/// </summary>
public sealed record MinerStatus(
    bool Running,
    int Threads,
    string Tier,
    double AttemptsPerSecond,
    int QueuedWords,
    IReadOnlyDictionary<WordRejection, long> WordRejections,
    long? TemplateHeight,
    long? JobId,
    long BlocksMined,
    long StaleSolutions,
    long RejectedSolutions,
    IReadOnlyDictionary<string, long> BlocksByMiner,
    long BlocksByOtherMiners,
    IReadOnlyList<WorkerStatus> Workers,
    double RemoteAttemptsPerSecond,
    long DroppedWorkers,
    IReadOnlyList<GpuStatus> Gpus)
{
    /// <summary>Most waiting words a status carries (the queue holds up to <see cref="WordQueue.MaxWords"/>).</summary>
    public const int MaxWaitingShown = 100;

    /// <summary>The messages of the block being mined ("Currently mining"); empty when idle.</summary>
    public IReadOnlyList<string> CurrentMessages { get; init; } = [];

    /// <summary>The first words waiting for a later block ("Data to mine"), oldest first, at most <see cref="MaxWaitingShown"/>.</summary>
    public IReadOnlyList<string> WaitingWords { get; init; } = [];
}
