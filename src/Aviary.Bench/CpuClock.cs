using System.Diagnostics;

namespace Aviary.Bench;

/// <summary>
/// The whole process's CPU time (user and system, every thread) since <see cref="Start"/>: steadier
/// than wall-clock rates on a shared machine, since time lost waiting for a core does not count.
/// </summary>
internal readonly record struct CpuClock(TimeSpan Started)
{
    public static CpuClock Start() => new(Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>CPU microseconds spent since <see cref="Start"/>, per item of <paramref name="count"/>.</summary>
    public double MicrosecondsPer(int count) => (Process.GetCurrentProcess().TotalProcessorTime - Started).TotalMicroseconds / count;
}

/// <summary>A sync's pace: blocks per wall-clock second, and the process's CPU microseconds per block.</summary>
internal sealed record SyncPace(double BlocksPerSecond, double CpuMicrosecondsPerBlock);
