using System.Net;
using System.Text;

using Aviary.Probe;

namespace Aviary.Census;

/// <summary>The census as one self-contained HTML page (inline style, no script, every peer-supplied string encoded).</summary>
public static class CensusHtml
{
    private const string Style = """
        body{font:14px system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fafbfc}
        h1{font-size:1.3rem}table{border-collapse:collapse;width:100%;background:#fff}
        th,td{border-bottom:1px solid #e1e4e8;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f0f2f5}code{font-size:12px}.fail{color:#b00020}.muted{color:#6a737d}
        .g{font-weight:700;text-align:center}.gA{color:#137333}.gB,.gC{color:#b06000}.gD,.gF{color:#b00020}
        ul{margin:.2rem 0;padding-left:1.2rem}
        """;

    public static string Page(CensusReport report)
    {
        var b = new StringBuilder();
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Aviary census of ").Append(E(report.Entry)).Append("</title><style>")
            .Append(Style).Append("</style></head><body>");
        b.Append("<h1>Census through ").Append(E(report.Entry)).Append("</h1><p class=\"muted\">")
            .Append(E($"{report.Peers.Count} peers, started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {report.Seconds:0.0} s")).Append("</p><ul>");
        foreach (var line in CensusReportWriter.Summary(report))
        {
            b.Append("<li>").Append(E(line)).Append("</li>");
        }

        b.Append("</ul><table><thead><tr><th>name</th><th>address</th><th>chain</th><th>height @ hash</th><th>grade</th><th>failed checks</th></tr></thead><tbody>");
        foreach (var p in report.Peers)
        {
            var grade = p.Grade?.ToString() ?? "-";
            b.Append("<tr><td>").Append(E(Evidence.Printable(p.Name, 60))).Append("</td><td><code>").Append(E(p.Address)).Append("</code></td><td>")
                .Append(E(CensusReportWriter.Chain(p))).Append("</td><td><code>").Append(E(CensusReportWriter.Claim(p))).Append("</code></td><td class=\"g g")
                .Append(E(grade)).Append("\">").Append(E(grade)).Append("</td><td>");
            if (p.Failures.Count > 0)
            {
                b.Append("<ul>");
                foreach (var f in p.Failures)
                {
                    b.Append("<li class=\"fail\"><code>").Append(E(f.Id)).Append("</code>: ").Append(E(Evidence.Printable(f.Evidence, 300))).Append("</li>");
                }

                b.Append("</ul>");
            }
            else if (p.Note is null)
            {
                b.Append("<span class=\"muted\">none</span>");
            }

            if (p.Note is { } note)
            {
                b.Append("<span class=\"muted\">").Append(E(note)).Append("</span>");
            }

            b.Append("</td></tr>");
        }

        b.Append("</tbody></table></body></html>\n");
        return b.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
