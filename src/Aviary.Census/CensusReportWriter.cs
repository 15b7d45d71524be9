using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using Aviary.Probe;

namespace Aviary.Census;

/// <summary>Prints a <see cref="CensusReport"/> for people (a table and a summary) or programs (one JSON object).</summary>
public static class CensusReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(CensusReport report)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"aviary census through {report.Entry}: {report.Peers.Count} peers in {report.Seconds:0.0} s\n\n");
        string[] head = ["name", "address", "chain", "height @ hash", "grade", "checks"];
        var rows = report.Peers.Select(p => new[]
        {
            Evidence.Printable(p.Name, 24), p.Address, Chain(p), Claim(p), p.Grade?.ToString() ?? "-", Checks(p),
        }).ToList();
        var widths = head.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        Row(b, head, widths);
        foreach (var (p, row) in report.Peers.Zip(rows))
        {
            Row(b, row, widths);
            foreach (var f in p.Failures)
            {
                b.Append("    FAIL ").Append(f.Id).Append(": ").Append(Evidence.Printable(f.Evidence, 150)).Append('\n');
            }

            if (p.Note is { } note)
            {
                b.Append("    ").Append(note).Append('\n');
            }
        }

        b.Append('\n');
        foreach (var line in Summary(report))
        {
            b.Append(line).Append('\n');
        }

        return b.ToString();
    }

    /// <summary>The summary in lines: best chain and its holders, peers behind, forks, peers that never answered, bounds hit.</summary>
    public static IEnumerable<string> Summary(CensusReport report)
    {
        yield return report.BestHash is null
            ? "best chain: none (no peer served a chain that verifies)"
            : $"best chain: {report.BestHeight} blocks @ {Evidence.Short(report.BestHash)}, held by {report.OnBest} of {report.Peers.Count} peers";
        var behind = report.Peers.Where(p => p.Place?.Kind == PlaceKind.Behind).ToList();
        if (behind.Count > 0)
        {
            yield return $"behind: {string.Join(", ", behind.Select(p => $"{Evidence.Printable(p.Name, 24)} by {p.Place!.Lag}"))}";
        }

        var forks = report.Forks.ToList();
        yield return forks.Count == 0
            ? "forks: none"
            : $"forks: {string.Join("; ", forks.Select(f => $"at height {f.Key}: {string.Join(", ", f.Select(p => $"{Evidence.Printable(p.Name, 24)} ({p.Height} blocks)"))}"))}";
        var silent = report.Silent.ToList();
        yield return silent.Count == 0
            ? "never answered: none"
            : $"never answered: {string.Join(", ", silent.Select(p => $"{Evidence.Printable(p.Name, 24)} ({p.Address})"))}";
        var grades = report.Peers.Where(p => p.Grade is not null).GroupBy(p => p.Grade!.Value).OrderBy(g => g.Key);
        var graded = string.Join(", ", grades.Select(g => $"{g.Count()} {g.Key}"));
        yield return $"grades: {(graded.Length == 0 ? "none" : graded)}";
        if (report.Dropped > 0)
        {
            yield return $"not followed: {report.Dropped} more peers past --max-peers";
        }

        if (report.TimeLimitReached)
        {
            yield return "cut short: the census's time limit was reached";
        }
    }

    public static string Json(CensusReport report) => JsonSerializer.Serialize(
        new
        {
            entry = report.Entry,
            startedAt = report.StartedAt,
            seconds = Math.Round(report.Seconds, 3),
            best = report.BestHash is null ? null : new { height = report.BestHeight, hash = report.BestHash, holders = report.OnBest },
            dropped = report.Dropped,
            timeLimitReached = report.TimeLimitReached,
            peers = report.Peers.Select(p => new
            {
                name = p.Name,
                address = p.Address,
                heardFrom = p.HeardFrom,
                answered = p.Answered,
                height = p.Height,
                hash = p.Hash,
                chain = p.Place is null ? null : new { kind = p.Place.Kind.ToString().ToLowerInvariant(), text = p.Place.Text, lag = p.Place.Lag, forkHeight = p.Place.ForkHeight, detail = p.Place.Detail },
                grade = p.Grade?.ToString(),
                passed = p.Passed,
                failed = p.Failed,
                failures = p.Failures.Select(c => new { id = c.Id, title = c.Title, evidence = c.Evidence }),
                note = p.Note,
            }),
            summary = Summary(report),
        },
        JsonOptions);

    /// <summary>The chain column: where it sits, or why that is unknown.</summary>
    public static string Chain(CensusPeer p) => p.Place?.Text ?? (p.Answered ? "-" : "silent");

    /// <summary>"height @ short hash" of its STATS claim.</summary>
    public static string Claim(CensusPeer p) => p.Height is { } h ? $"{h} @ {Evidence.Short(p.Hash)}" : "-";

    private static string Checks(CensusPeer p) => p.Grade is null ? "-" : p.Failed == 0 ? $"{p.Passed} passed" : $"{p.Passed} passed, {p.Failed} failed";

    private static void Row(StringBuilder b, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            b.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        b.Append('\n');
    }
}
