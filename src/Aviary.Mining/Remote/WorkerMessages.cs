using Aviary.Chain;

namespace Aviary.Mining.Remote;

/// <summary>
/// One line of the remote worker protocol: a JSON object with a <c>type</c> field, ended by <c>\n</c>.
/// Workers send hello, solution and stats; the node sends job, cancel and bye.
/// </summary>
public abstract record WorkerMessage
{
    /// <summary>The wire value of the <c>type</c> field.</summary>
    public abstract string Type { get; }
}

/// <summary>Worker → node, first line: who is mining, on how many threads, with which search tier.</summary>
public sealed record WorkerHello(string Name, int Threads, string Tier) : WorkerMessage
{
    /// <summary>Longest worker name the node accepts (code points).</summary>
    public const int MaxName = 64;

    /// <summary>Longest tier name the node accepts.</summary>
    public const int MaxTier = 32;

    public override string Type => "hello";
}

/// <summary>
/// Node → worker: mine <see cref="Template"/> at <see cref="Difficulty"/>, counters
/// [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>) only. Replaces any earlier job.
/// </summary>
public sealed record WorkerJob(long Job, BlockTemplate Template, int Difficulty, ulong Start, ulong Count) : WorkerMessage
{
    public override string Type => "job";
}

/// <summary>Worker → node: the nonce that solves job <see cref="Job"/>.</summary>
public sealed record WorkerSolution(long Job, string Nonce) : WorkerMessage
{
    public override string Type => "solution";
}

/// <summary>Node → worker: stop mining job <see cref="Job"/> (the tip moved, or the node has nothing to mine).</summary>
public sealed record WorkerCancel(long Job) : WorkerMessage
{
    public override string Type => "cancel";
}

/// <summary>Worker → node, every few seconds: the worker's current rate. Also its keep-alive.</summary>
public sealed record WorkerStats(double AttemptsPerSecond) : WorkerMessage
{
    public override string Type => "stats";
}

/// <summary>Node → worker, just before closing: why the connection ends.</summary>
public sealed record WorkerBye(string Reason) : WorkerMessage
{
    public override string Type => "bye";
}
