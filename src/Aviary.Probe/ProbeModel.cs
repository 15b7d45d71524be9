using System.Net;

namespace Aviary.Probe;

/// <summary>How a check ended.</summary>
public enum CheckOutcome
{
    /// <summary>The peer did what the protocol asks.</summary>
    Pass,

    /// <summary>The peer did something else; the evidence says what.</summary>
    Fail,

    /// <summary>The check could not be run (no chain, a difficulty too high to mine, nothing to watch); the evidence says why.</summary>
    Skip,
}

/// <summary>One check of the report: a stable id, what it checks, how it ended and what was seen.</summary>
public sealed record CheckResult(string Id, string Title, CheckOutcome Outcome, string Evidence);

/// <summary>The prober's settings.</summary>
public sealed record ProbeOptions
{
    /// <summary>The peer to probe: the only address the probe sends to.</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>Address the probe's own sockets bind to: 127.0.0.1 for a loopback target.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Host the probe names in its GOSSIP (where the peer should reply); defaults to <see cref="Bind"/>.</summary>
    public string? Advertise { get; init; }

    /// <summary>How long the probe tries to get any answer at all before it reports that nothing answered.</summary>
    public TimeSpan ContactLimit { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long to wait for each reply before resending or giving up.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on the whole run; checks not reached in time are skipped.</summary>
    public TimeSpan OverallLimit { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The network's difficulty, when known; otherwise inferred from the hashes served.</summary>
    public int? Difficulty { get; init; }

    /// <summary>Most blocks fetched and verified from genesis.</summary>
    public int MaxBlocks { get; init; } = 2000;

    /// <summary>Highest difficulty the probe tries to mine a block for the ANNOUNCE check.</summary>
    public int MaxMiningDifficulty { get; init; } = 5;

    /// <summary>Time allowed for mining that block.</summary>
    public TimeSpan MiningBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether to ANNOUNCE a block (it extends the peer's chain if adopted).</summary>
    public bool Announce { get; init; } = true;

    /// <summary>Name in the probe's GOSSIP and minedBy of the block it announces.</summary>
    public string Name { get; init; } = "aviary-probe";

    /// <summary>When set, only the checks with these ids run (and are reported); null runs them all.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>
    /// Before the checks, the request socket gossips naming itself and answers the peer's challenge, so
    /// the peer counts it as a proven address: peers throttle replies to unproven ones, which would cut
    /// a long chain's fetch short.
    /// </summary>
    public bool Introduce { get; init; }

    /// <summary>Most requests the probe sends to the target per second (all its sockets together); null for no cap.</summary>
    public double? RequestsPerSecond { get; init; }
}

/// <summary>The outcome of a probe run.</summary>
public sealed record ProbeReport(string Target, DateTimeOffset StartedAt, double Seconds, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>Why the probe stopped at first contact ("nothing answered from HOST:PORT …"), or null when the peer answered.</summary>
    public string? NoAnswer { get; init; }

    public int Passed => Checks.Count(c => c.Outcome == CheckOutcome.Pass);

    public int Failed => Checks.Count(c => c.Outcome == CheckOutcome.Fail);

    public int Skipped => Checks.Count(c => c.Outcome == CheckOutcome.Skip);

    /// <summary>A: nothing failed; B, C, D: at least 80, 60, 40% of the checks run passed; F below that.</summary>
    public char Grade
    {
        get
        {
            var run = Passed + Failed;
            if (run == 0)
            {
                return 'F';
            }

            if (Failed == 0)
            {
                return 'A';
            }

            var share = (double)Passed / run;
            return share >= 0.8 ? 'B' : share >= 0.6 ? 'C' : share >= 0.4 ? 'D' : 'F';
        }
    }
}
