using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;

using Aviary.Web.Metrics;

namespace Aviary.Web.Tests;

/// <summary>/metrics: the Prometheus text exposition format, with values from the node.</summary>
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_are_valid_exposition_text_with_the_node_values()
    {
        await using var node = await LiveNode.StartAsync(blocks: 9);
        await node.SendRawAsync("not json");
        await node.SendRawAsync("{\"type\":\"NOPE\"}");
        await node.WaitForAsync(c => c.Counters.TotalRejections == 2);
        var cancel = TestContext.Current.CancellationToken;
        using var response = await node.Http.GetAsync("/metrics", cancel);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync(cancel);

        var samples = Parse(text);
        Assert.Equal(9, samples["aviary_chain_height"]);
        Assert.Equal(LiveNode.Difficulty, samples["aviary_chain_difficulty"]);
        Assert.Equal(0, samples["aviary_peers"]);
        Assert.Equal(1, samples["aviary_datagrams_rejected_total{reason=\"NotJson\"}"]);
        Assert.Equal(1, samples["aviary_datagrams_rejected_total{reason=\"UnknownType\"}"]);
        Assert.Equal(0, samples["aviary_datagrams_rejected_total{reason=\"TooDeep\"}"]);
        Assert.Equal(2, samples["aviary_datagrams_received_total"]);
        Assert.Equal(0, samples["aviary_sync_active"]);
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("aviary_miner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Miner_metrics_appear_when_the_node_mines()
    {
        await using var node = await LiveNode.StartAsync(blocks: 1, miner: () => new MinerStatus(true, 1, 2_500_000.5, 4, 1, ["a"], []));
        var samples = Parse(await node.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        Assert.Equal(2_500_000.5, samples["aviary_miner_hashrate"]);
        Assert.Equal(4, samples["aviary_miner_blocks_total"]);
    }

    [Fact]
    public void Label_values_and_names_are_escaped()
    {
        using var meter = new Meter("Aviary.Node.Test");
        meter.CreateObservableGauge("odd.name-with dashes", () => new Measurement<double>(double.NaN, new KeyValuePair<string, object?>("who", "a \"quoted\" \\ name\nsecond line")), description: "help with \\ and\nnewline");
        using var text = new PrometheusText(meter);
        var output = text.Scrape();
        Assert.Equal(
            "# HELP odd_name_with_dashes help with \\\\ and\\nnewline\n" +
            "# TYPE odd_name_with_dashes gauge\n" +
            "odd_name_with_dashes{who=\"a \\\"quoted\\\" \\\\ name\\nsecond line\"} NaN\n",
            output);
    }

    [Fact]
    public void Instruments_of_other_meters_are_not_exported()
    {
        using var ours = new Meter("Aviary.Node");
        using var other = new Meter("Aviary.Node");
        ours.CreateObservableCounter("ours", () => 1L);
        other.CreateObservableCounter("theirs", () => 2L);
        using var text = new PrometheusText(ours);
        Assert.Equal("# HELP ours_total ours\n# TYPE ours_total counter\nours_total 1\n", text.Scrape());
    }

    /// <summary>Checks every line against the format and returns samples by "name{labels}".</summary>
    internal static Dictionary<string, double> Parse(string text)
    {
        Assert.EndsWith("\n", text);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (Help().Match(line) is { Success: true } h)
            {
                Assert.True(helped.Add(h.Groups[1].Value), $"HELP twice for {h.Groups[1].Value}");
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } t)
            {
                Assert.Contains(t.Groups[1].Value, helped);
                typed.Add(t.Groups[1].Value, t.Groups[2].Value);
                continue;
            }

            var s = Sample().Match(line);
            Assert.True(s.Success, $"not a sample line: {line}");
            var name = s.Groups[1].Value;
            Assert.True(typed.TryGetValue(name, out var type), $"{name} has no TYPE line before it");
            Assert.Equal(type == "counter", name.EndsWith("_total", StringComparison.Ordinal));
            var value = s.Groups[3].Value == "NaN" ? double.NaN : double.Parse(s.Groups[3].Value, CultureInfo.InvariantCulture);
            samples.Add(name + s.Groups[2].Value, value);
        }

        return samples;
    }

    [GeneratedRegex("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$")]
    private static partial Regex Help();

    [GeneratedRegex("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("^([a-zA-Z_:][a-zA-Z0-9_:]*)((?:\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*\\})?) (-?[0-9.e+E-]+|NaN|[+-]Inf)$")]
    private static partial Regex Sample();
}
