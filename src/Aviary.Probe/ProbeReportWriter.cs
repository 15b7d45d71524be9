using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aviary.Probe;

/// <summary>Prints a <see cref="ProbeReport"/> for people (aligned text) or programs (one JSON object).</summary>
public static class ProbeReportWriter
{
    public static string Text(ProbeReport report)
    {
        var b = new StringBuilder();
        b.Append("aviary probe ").Append(report.Target).Append(": ").Append(report.Checks.Count).Append(" checks in ")
            .Append(report.Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append(" s\n\n");
        var width = report.Checks.Max(c => c.Id.Length);
        foreach (var c in report.Checks)
        {
            b.Append(Label(c.Outcome)).Append("  ").Append(c.Id.PadRight(width)).Append("  ").Append(c.Title).Append('\n');
            b.Append(' ', 6 + width + 2).Append(Evidence.Printable(c.Evidence, 400)).Append('\n');
        }

        b.Append('\n').Append("grade ").Append(report.Grade).Append(": ")
            .Append(report.Passed).Append(" passed, ").Append(report.Failed).Append(" failed, ").Append(report.Skipped).Append(" skipped\n");
        return b.ToString();
    }

    public static string Json(ProbeReport report) => JsonSerializer.Serialize(
        new
        {
            target = report.Target,
            startedAt = report.StartedAt,
            seconds = Math.Round(report.Seconds, 3),
            grade = report.Grade.ToString(),
            passed = report.Passed,
            failed = report.Failed,
            skipped = report.Skipped,
            noAnswer = report.NoAnswer,
            checks = report.Checks.Select(c => new { id = c.Id, title = c.Title, outcome = c.Outcome.ToString().ToLowerInvariant(), evidence = c.Evidence }),
        },
        new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Label(CheckOutcome o) => o switch
    {
        CheckOutcome.Pass => "PASS",
        CheckOutcome.Fail => "FAIL",
        _ => "SKIP",
    };
}
