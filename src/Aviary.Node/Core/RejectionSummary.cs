using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Every <see cref="NodeOptions.RejectionSummaryInterval"/>, one log line for what the flood defences and the decoder turned away.</summary>
internal sealed class RejectionSummary(INodeContext node)
{
    private long summarisedRateLimited;
    private long summarisedWithheld;

    public void Start() => node.Events.Every(node.Options.RejectionSummaryInterval, Summarise);

    private void Summarise()
    {
        var counters = node.Counters;
        var interval = node.Options.RejectionSummaryInterval;
        if (counters.RateLimited != summarisedRateLimited || counters.Withheld != summarisedWithheld)
        {
            node.Logger.LogInformation(
                "flood defences in the last {Interval}: {Limited} datagrams rate-limited; {Withheld} sends to unproven addresses withheld; totals: rate-limited {ByBudget}; withheld {ByReason}",
                interval,
                counters.RateLimited - summarisedRateLimited,
                counters.Withheld - summarisedWithheld,
                counters.RateLimited == 0 ? "none" : string.Join(", ", counters.RateLimitedByBudget.Select(r => $"{r.Budget} {r.Count}")),
                counters.Withheld == 0 ? "none" : string.Join(", ", counters.WithheldByReason.OrderBy(w => w.Key.Reason).ThenBy(w => w.Key.Type, StringComparer.Ordinal).Select(w => $"{w.Key.Reason} {w.Key.Type} {w.Value}")));
            summarisedRateLimited = counters.RateLimited;
            summarisedWithheld = counters.Withheld;
        }

        if (counters.RejectionsSinceSummary == 0)
        {
            return;
        }

        var byReason = string.Join(", ", counters.RejectionsByReason.Select(r => $"{r.Reason} {r.Count}"));
        node.Logger.LogInformation("rejected {Count} datagrams in the last {Interval}; totals: {ByReason}", counters.RejectionsSinceSummary, interval, byReason);
        counters.RejectionsSinceSummary = 0;
    }
}
