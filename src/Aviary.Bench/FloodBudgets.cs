using System.Globalization;

using Aviary.Node.Limits;

namespace Aviary.Bench;

/// <summary>Which response budget a flood mix is held to.</summary>
internal enum FloodCheck
{
    /// <summary>None: the mix is judged by memory and honest latency only.</summary>
    None,

    /// <summary>What reaches the victim whose address the forged requests carry: one address's budget.</summary>
    Victim,

    /// <summary>What the node sends to all unproven sources together: the global budget.</summary>
    Global,
}

/// <summary>Counts read before and after a mix, to measure what it drew from the node.</summary>
internal readonly record struct FloodTraffic(long VictimBytes, long VictimDatagrams, long HonestStatsReplies, IReadOnlyDictionary<string, long> SentByType)
{
    public static FloodTraffic operator -(FloodTraffic a, FloodTraffic b) => new(
        a.VictimBytes - b.VictimBytes,
        a.VictimDatagrams - b.VictimDatagrams,
        a.HonestStatsReplies - b.HonestStatsReplies,
        a.SentByType.Select(p => (p.Key, Count: p.Value - b.SentByType.GetValueOrDefault(p.Key))).Where(p => p.Count != 0).ToDictionary(p => p.Key, p => p.Count));
}

/// <summary>One figure measured in a mix beside the budget it must stay within.</summary>
internal sealed record BudgetFigure(string What, double Measured, double Budget, string How, bool Strict = false)
{
    /// <summary>Within the budget; a strict one must stay under it (an unanswered request counts as exactly the limit).</summary>
    public bool Within => Strict ? Measured < Budget : Measured <= Budget;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{What} {Measured:#,0.#} {(Within ? (Strict ? "<" : "≤") : (Strict ? "≥ OVER" : "> OVER"))} {Budget:#,0} ({How})");
}

/// <summary>
/// The figures beside the budgets for <c>aviary bench flood</c>: a budget allows its burst plus its
/// rate for the seconds measured (from the mix's start until the counts were read).
/// </summary>
internal static class FloodBudgets
{
    /// <summary>The honest client's p99 must stay under this in every mix.</summary>
    public const double HonestP99Ms = 1000;

    public static IReadOnlyList<BudgetFigure> For(FloodCheck check, ResponseLimits limits, FloodTraffic t, double seconds, double honestP99, int statsReplyBytes)
    {
        var honest = new BudgetFigure("honest STATS p99 ms", honestP99, HonestP99Ms, "proven client, unaffected", Strict: true);
        return check switch
        {
            FloodCheck.Victim =>
            [
                Figure("bytes to the victim", t.VictimBytes, limits.AddressBytes, seconds, "AddressBytes"),
                Figure("replies to the victim", t.VictimDatagrams, limits.AddressReplies, seconds, "AddressReplies"),
                honest,
            ],
            FloodCheck.Global => Storm(limits, t, seconds, statsReplyBytes, honest),
            _ => [],
        };
    }

    /// <summary>
    /// The storm's sources get only STATS_REPLYs: those the node sent, less the honest client's. Other
    /// sends in the window are not the storm's (the node's GOSSIPs to peers it tracks, left over from
    /// the gossip mixes, go partly to attacker sockets that proved themselves and are not charged).
    /// </summary>
    private static BudgetFigure[] Storm(ResponseLimits limits, FloodTraffic t, double seconds, int statsReplyBytes, BudgetFigure honest)
    {
        var replies = t.SentByType.GetValueOrDefault(Aviary.Protocol.MessageTypes.StatsReply) - t.HonestStatsReplies;
        return
        [
            Figure($"bytes to the storm ({replies:N0} × {statsReplyBytes} B)", replies * statsReplyBytes, limits.GlobalBytes, seconds, "GlobalBytes"),
            Figure("STATS_REPLYs to the storm", replies, limits.GlobalReplies, seconds, "GlobalReplies"),
            honest,
        ];
    }

    private static BudgetFigure Figure(string what, long measured, Budget budget, double seconds, string key) =>
        new(what, measured, budget.Burst + (budget.PerSecond * seconds), string.Create(CultureInfo.InvariantCulture, $"{key}: burst {budget.Burst:N0} + {budget.PerSecond:N0}/s × {seconds:0.00} s"));
}
