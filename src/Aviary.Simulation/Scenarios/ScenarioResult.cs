using Aviary.Simulation.Checks;
using Aviary.Simulation.Network;

namespace Aviary.Simulation.Scenarios;

/// <summary>What one scenario run found: the verdicts, the trace hash that identifies it, and its cost.</summary>
public sealed record ScenarioResult
{
    public required ScenarioOptions Options { get; init; }

    /// <summary>SHA-256 of the run's trace: the same seed and code give the same hash.</summary>
    public required string TraceHash { get; init; }

    public required TimeSpan VirtualTime { get; init; }

    /// <summary>Wall-clock time the run took (reported, never asserted on).</summary>
    public required TimeSpan WallTime { get; init; }

    public required IReadOnlyList<SafetyViolation> Safety { get; init; }

    /// <summary>Exceptions participants threw.</summary>
    public required IReadOnlyList<NodeFailure> Failures { get; init; }

    /// <summary>Null for a safety-only run.</summary>
    public required LivenessReport? Liveness { get; init; }

    public required NetworkStats Network { get; init; }

    /// <summary>Events the loop ran.</summary>
    public required long Steps { get; init; }

    /// <summary>One line per participant and per fault, for the curious.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    public bool SafetyPassed => Safety.Count == 0 && Failures.Count == 0;

    public bool Passed => SafetyPassed && (Liveness?.Passed ?? true);

    /// <summary>Virtual seconds per wall second.</summary>
    public double Speed => WallTime > TimeSpan.Zero ? VirtualTime / WallTime : double.PositiveInfinity;

    /// <summary>The failures in words: safety violations, exceptions, then who is behind.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var v in Safety)
        {
            yield return $"safety: {v}";
        }

        foreach (var f in Failures)
        {
            yield return $"exception: {f}";
        }

        if (Liveness is { Passed: false } l)
        {
            yield return $"liveness: {l}";
        }
    }
}
