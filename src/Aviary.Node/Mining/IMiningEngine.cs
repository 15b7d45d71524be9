using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Node.Mining;

/// <summary>
/// What does the hashing for a <see cref="MiningCoordinator"/>: the node's own threads, remote workers,
/// or a fake in tests. Start and Stop are called on the core thread and never block; solutions come
/// back through <see cref="Found"/> on any thread (the coordinator moves them onto the core thread).
/// </summary>
public interface IMiningEngine
{
    /// <summary>Raised, on any thread, when a job is solved. The job may already have been replaced.</summary>
    event Action<MiningJob, Block>? Found;

    /// <summary>Starts mining <paramref name="job"/>, replacing whatever runs now.</summary>
    void Start(MiningJob job);

    /// <summary>Stops mining until the next <see cref="Start"/>.</summary>
    void Stop();

    /// <summary>What the engine is doing now (safe to call on the core thread).</summary>
    EngineStatus Status();
}

/// <summary>The engine's part of <see cref="MinerStatus"/>.</summary>
public sealed record EngineStatus(int Threads, string Tier, double AttemptsPerSecond, IReadOnlyList<WorkerStatus> Workers, long DroppedWorkers, IReadOnlyList<GpuStatus> Gpus)
{
    /// <summary>The sum of the remote workers' reported rates.</summary>
    public double RemoteAttemptsPerSecond => Workers.Sum(w => w.AttemptsPerSecond);
}
