using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Aviary.Web.Tests;

/// <summary>
/// /metrics: OpenTelemetry's Prometheus exporter over the node's meter, the runtime's and the process's,
/// in the text exposition format; checked line by line here and by <c>promtool check metrics</c>.
/// </summary>
public sealed partial class MetricsTests
{
    private const string Promtool = "/usr/bin/promtool";

    [Fact]
    public async Task Metrics_are_valid_exposition_text_with_the_node_values()
    {
        await using var node = await LiveNode.StartAsync(blocks: 9);
        await node.SendRawAsync("not json");
        await node.SendRawAsync("{\"type\":\"NOPE\"}");
        await node.WaitForAsync(c => c.Counters.TotalRejections == 2);
        var cancel = TestContext.Current.CancellationToken;
        using var response = await node.Http.GetAsync("/metrics", cancel);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(cancel);

        var samples = Parse(text);
        Assert.Equal(9, samples["aviary_chain_height"]);
        Assert.Equal(LiveNode.Difficulty, samples["aviary_chain_difficulty"]);
        Assert.Equal(0, samples["aviary_peers"]);
        Assert.Equal(1, samples["aviary_datagrams_rejected_total{reason=\"NotJson\"}"]);
        Assert.Equal(1, samples["aviary_datagrams_rejected_total{reason=\"UnknownType\"}"]);
        Assert.Equal(0, samples["aviary_datagrams_rejected_total{reason=\"TooDeep\"}"]);
        Assert.Equal(2, samples["aviary_datagrams_received_total"]);
        Assert.True(samples["aviary_traffic_received_bytes_total"] > 0);
        Assert.Equal(0, samples["aviary_sync_active"]);
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("aviary_miner", StringComparison.Ordinal));

        // The runtime's and the process's series come with the exporter.
        Assert.Contains(samples.Keys, k => k.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal));
        Assert.True(samples["dotnet_gc_heap_total_allocated_bytes_total"] > 0);
        Assert.True(samples["process_memory_usage_bytes"] > 0);
        Assert.True(samples["process_threads"] > 0);
        await AssertPromtoolPassesAsync(text);
    }

    [Fact]
    public async Task A_mining_node_exports_its_miner_with_a_rate_above_zero()
    {
        await using var node = await HostedNode.StartAsync("metrics-miner", 8, mine: true, chain: [HostedNode.CourseGenesis]);
        await node.SendWordsAsync(["metered"]);
        var samples = await ScrapeUntilAsync(node.Http, s => s.GetValueOrDefault("aviary_miner_hashes_per_second") > 0);
        Assert.Equal(1, samples["aviary_miner_threads"]);
        Assert.Equal(1, samples["aviary_miner_mining"]);
        Assert.Equal(1, samples["aviary_miner_template_height"]);
        Assert.Equal(0, samples["aviary_miner_workers"]);
        Assert.Equal(0, samples["aviary_miner_blocks_total"]);
        Assert.Equal(1, samples["aviary_chain_height"]);
        Assert.Equal(8, samples["aviary_chain_difficulty"]);
        await AssertPromtoolPassesAsync(await node.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Two_nodes_in_one_process_each_export_their_own_values()
    {
        await using var a = await LiveNode.StartAsync(blocks: 3);
        await using var b = await LiveNode.StartAsync(blocks: 7);
        var cancel = TestContext.Current.CancellationToken;
        Assert.Equal(3, Parse(await a.Http.GetStringAsync("/metrics", cancel))["aviary_chain_height"]);
        Assert.Equal(7, Parse(await b.Http.GetStringAsync("/metrics", cancel))["aviary_chain_height"]);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the miner's first rate takes a moment), bounded.</summary>
    private static async Task<Dictionary<string, double>> ScrapeUntilAsync(HttpClient http, Func<Dictionary<string, double>, bool> done)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var samples = Parse(await http.GetStringAsync("/metrics", deadline.Token));
            if (done(samples))
            {
                return samples;
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>
    /// <c>promtool check metrics</c> (Debian's prometheus package) finds no problem. CI installs it; without
    /// it the check fails in CI and is skipped elsewhere (the line-by-line parse above still runs).
    /// </summary>
    private static async Task AssertPromtoolPassesAsync(string text)
    {
        if (!File.Exists(Promtool))
        {
            const string Why = $"{Promtool} is missing: install Debian's prometheus package (apt-get install -y prometheus); .ci/run does";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(Why);
            }

            Assert.Skip(Why);
        }

        using var process = Process.Start(new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"promtool check metrics exited {process.ExitCode}: {await output}{await errors}");
    }

    /// <summary>Checks every line against the text format and returns samples by "name{labels}".</summary>
    internal static Dictionary<string, double> Parse(string text)
    {
        Assert.EndsWith("\n", text);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.Length == 0 || line == "# EOF")
            {
                continue;
            }

            if (Help().Match(line) is { Success: true } h)
            {
                Assert.True(helped.Add(h.Groups[1].Value), $"HELP twice for {h.Groups[1].Value}");
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } t)
            {
                typed.Add(t.Groups[1].Value, t.Groups[2].Value);
                continue;
            }

            var s = Sample().Match(line);
            Assert.True(s.Success, $"not a sample line: {line}");
            var name = s.Groups[1].Value;
            Assert.True(typed.TryGetValue(name, out var type), $"{name} has no TYPE line before it");
            Assert.Equal(type == "counter", name.EndsWith("_total", StringComparison.Ordinal));
            var value = s.Groups[3].Value == "NaN" ? double.NaN : double.Parse(s.Groups[3].Value, CultureInfo.InvariantCulture);
            // An empty label set ("name{} 1") is the same series as "name 1".
            samples.Add(name + (s.Groups[2].Value == "{}" ? string.Empty : s.Groups[2].Value), value);
        }

        return samples;
    }

    [GeneratedRegex("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$")]
    private static partial Regex Help();

    [GeneratedRegex("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{\\}|(?:\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*\\})?) (-?[0-9.e+E-]+|NaN|[+-]Inf)( -?[0-9]+)?$")]
    private static partial Regex Sample();
}
