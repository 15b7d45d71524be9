using System.Globalization;
using System.Text.Json;

using Spectre.Console;
using Spectre.Console.Rendering;

namespace Aviary.Cli;

/// <summary>
/// The devnet on a terminal: a live table, one row per node (height, peers, last block, hash rate,
/// dashboard), and the newest network-wide events under it, redrawn twice a second. Peers, hash rate
/// and the last block's time come from each node's <c>/api/status</c>; heights from their logs.
/// </summary>
internal sealed class LiveOutput(DevnetWatch watch) : IDevnetOutput, IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly Dictionary<string, NodeStatus> statuses = [];
    private readonly List<string> said = [];
    private volatile bool live;

    private sealed record NodeStatus(int Peers, double? HashesPerSecond, long? TopTimestamp);

    public void Say(string text)
    {
        if (live)
        {
            lock (said)
            {
                said.Add(text);
            }
        }
        else
        {
            AnsiConsole.WriteLine(text);
        }
    }

    public void Line(string name, string line) => watch.Read(name, line, DateTimeOffset.UtcNow);

    /// <summary>Draws until <paramref name="stop"/>; leaves the last frame on the screen.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        live = true;
        try
        {
            await AnsiConsole.Live(Render()).AutoClear(false).StartAsync(async context =>
            {
                using var timer = new PeriodicTimer(Period);
                var polled = DateTimeOffset.MinValue;
                try
                {
                    while (await timer.WaitForNextTickAsync(stop))
                    {
                        if (DateTimeOffset.UtcNow - polled > TimeSpan.FromSeconds(1))
                        {
                            await PollAsync(stop);
                            polled = DateTimeOffset.UtcNow;
                        }

                        context.UpdateTarget(Render());
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }
        finally
        {
            live = false;
        }
    }

    public void Dispose() => http.Dispose();

    private async Task PollAsync(CancellationToken stop)
    {
        var plan = watch.Plan;
        var polls = Enumerable.Range(0, plan.Peers).Where(i => plan.WebPortOf(i) != 0).Select(async i =>
        {
            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{plan.WebPortOf(i)}/api/status", stop));
                var root = doc.RootElement;
                var peers = root.TryGetProperty("peers", out var p) && p.ValueKind == JsonValueKind.Array ? p.GetArrayLength() : 0;
                double? rate = root.TryGetProperty("miner", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("hashesPerSecond", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null;
                long? timestamp = root.TryGetProperty("chain", out var c) && c.TryGetProperty("top", out var t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number ? ts.GetInt64() : null;
                return (plan.Name(i), (NodeStatus?)new NodeStatus(peers, rate, timestamp));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
            {
                return (plan.Name(i), (NodeStatus?)null);
            }
        });
        foreach (var (name, status) in await Task.WhenAll(polls))
        {
            if (status is not null)
            {
                statuses[name] = status;
            }
        }
    }

    private IRenderable Render()
    {
        var plan = watch.Plan;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"devnet: {plan.Peers} nodes on 127.0.0.1, difficulty {plan.Difficulty} [grey](Ctrl-C stops them all)[/]")
            .AddColumns("node", "udp", "height", "peers", "last block", "hash rate", "dashboard");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 0; i < plan.Peers; i++)
        {
            var name = plan.Name(i);
            var height = watch.Of(name) is { } h ? $"{h.Height:N0} [grey]{Markup.Escape(CompactLogFormatter.ShortHashes(h.Top ?? string.Empty))}[/]" : "[grey]–[/]";
            statuses.TryGetValue(name, out var s);
            table.AddRow(
                name,
                plan.UdpPortOf(i).ToString(CultureInfo.InvariantCulture),
                height,
                s is null ? "[grey]–[/]" : s.Peers.ToString(CultureInfo.InvariantCulture),
                s?.TopTimestamp is { } ts ? $"{Math.Max(0, now - ts)} s ago" : "[grey]–[/]",
                s?.HashesPerSecond is { } rate ? Rate(rate) : "[grey]–[/]",
                plan.WebPortOf(i) == 0 ? "[grey]off[/]" : $"http://127.0.0.1:{plan.WebPortOf(i)}/");
        }

        var lines = watch.Events();
        lock (said)
        {
            lines.AddRange(said.TakeLast(2));
        }

        var events = lines.Count == 0 ? new Markup("[grey]waiting for the first block…[/]") : new Markup(Markup.Escape(string.Join('\n', lines)));
        return new Rows(table, events, new Markup($"[grey]try: aviary probe 127.0.0.1:{plan.UdpPortOf(0)}   ·   aviary devnet --logs streams the raw logs[/]"));
    }

    private static string Rate(double perSecond) => perSecond switch
    {
        >= 1e9 => $"{perSecond / 1e9:0.00} GH/s",
        >= 1e6 => $"{perSecond / 1e6:0.00} MH/s",
        >= 1e3 => $"{perSecond / 1e3:0.0} kH/s",
        _ => $"{perSecond:0} H/s",
    };
}
