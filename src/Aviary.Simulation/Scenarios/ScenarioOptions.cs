namespace Aviary.Simulation.Scenarios;

/// <summary>
/// Everything a scenario run depends on besides the code: the seed, the cast, the faults and the
/// timing. The same options give the same trace.
/// </summary>
public sealed record ScenarioOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>Honest nodes (real cores), quirky ones included.</summary>
    public int Honest { get; init; } = 20;

    /// <summary>Adversaries, cast in the order of <see cref="Scenarios.Cast.AdversaryKinds"/>, repeating.</summary>
    public int Byzantine { get; init; } = 6;

    /// <summary>Blocks of the valid chain one honest node holds at the start.</summary>
    public int ChainLength { get; init; } = 300;

    /// <summary>Trailing zeros a block hash needs (tiny, so chains mine on the spot).</summary>
    public int Difficulty { get; init; } = 1;

    /// <summary>How long the faults last (loss, duplication, jitter, partitions, crashes, mining).</summary>
    public TimeSpan FaultPhase { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>After the fault phase, cut links come back one by one in random order over this window.</summary>
    public TimeSpan HealWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Once healed, every honest node must hold the best chain within this much virtual time.</summary>
    public TimeSpan LivenessBound { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>False: safety only; the run ends <see cref="SafetySettle"/> after healing.</summary>
    public bool CheckLiveness { get; init; } = true;

    /// <summary>
    /// End a liveness run as soon as every honest node holds the best chain (the verdict is then
    /// settled: nothing is mined after healing); false runs out the whole bound.
    /// </summary>
    public bool StopWhenConverged { get; init; } = true;

    /// <summary>How long a safety-only run goes on after healing.</summary>
    public TimeSpan SafetySettle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Highest loss rate of a link during the faults (each link draws its own).</summary>
    public double MaxLoss { get; init; } = 0.3;

    /// <summary>Highest duplication rate of a link during the faults.</summary>
    public double MaxDuplication { get; init; } = 0.5;

    /// <summary>Highest per-datagram jitter during the faults (reordering).</summary>
    public TimeSpan MaxJitter { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Split-and-heal partitions and link-by-link cuts.</summary>
    public bool Partitions { get; init; } = true;

    /// <summary>Honest nodes crash and restart (keeping their chain).</summary>
    public bool Crashes { get; init; } = true;

    /// <summary>Blocks the honest miner mines and announces during the faults.</summary>
    public int MinedBlocks { get; init; } = 2;

    /// <summary>Share of honest nodes that are quirky (other port, fixed gossip id, numbers as strings).</summary>
    public double QuirkyShare { get; init; } = 0.2;

    /// <summary>Each node's clock is off by up to this much either way.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Time between two of the gossip flooder's GOSSIPs.</summary>
    public TimeSpan FloodInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Time between two of the reflection abuser's forged GOSSIPs.</summary>
    public TimeSpan ReflectionInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Honest nodes whose core log is written to <see cref="Log"/> (for replaying a failing seed).</summary>
    public IReadOnlySet<string> LogNodes { get; init; } = new HashSet<string>();

    /// <summary>Receives the log lines of <see cref="LogNodes"/>; null: not logged.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>When the faults stop and every link is back.</summary>
    public TimeSpan HealedAt => FaultPhase + HealWindow;

    /// <summary>Total virtual duration of a run.</summary>
    public TimeSpan Duration => HealedAt + (CheckLiveness ? LivenessBound : SafetySettle);

    /// <summary>The standard scenario: 20 honest nodes, 6 adversaries, every fault, a one-minute fault phase.</summary>
    public static ScenarioOptions Standard(ulong seed) => new() { Seed = seed };

    /// <summary>
    /// The standard cast and faults for sweeping many seeds for safety alone: the run stops
    /// <see cref="SafetySettle"/> after healing instead of waiting out the liveness bound
    /// (75 virtual seconds; about 50 ms of one core each on the current core).
    /// </summary>
    public static ScenarioOptions SafetySweep(ulong seed) => new()
    {
        Seed = seed,
        CheckLiveness = false,
    };
}
