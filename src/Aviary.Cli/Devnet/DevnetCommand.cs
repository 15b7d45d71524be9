using System.CommandLine;
using System.Diagnostics;

using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary devnet</c>: a local network on loopback, offline: N <c>aviary run</c> processes of this
/// same program, node 0 starting with a freshly mined chain, every other node joining through it.
/// On a terminal a live view of the nodes; to a pipe one line per block; <c>--logs</c> relays every
/// node's log lines. Stops them all on Ctrl-C or SIGTERM.
/// </summary>
internal static class DevnetCommand
{
    public static Command Create()
    {
        var peers = new Option<int>("--peers") { Description = $"nodes to run (1 to {DevnetPlan.MaxPeers})", DefaultValueFactory = _ => 4 };
        var difficulty = new Option<int>("--difficulty") { Description = "trailing '0' hex characters a hash needs (6: a block every fraction of a second on one thread)", DefaultValueFactory = _ => 6 };
        var webPort = new Option<int>("--web-port") { Description = "dashboard port of node 0 (node i gets this + i); 0 turns dashboards off", DefaultValueFactory = _ => 8998 };
        var port = new Option<int>("--port") { Description = "UDP port of node 0 (node i gets this + i)", DefaultValueFactory = _ => 9100 };
        var blocks = new Option<int>("--blocks") { Description = "blocks in node 0's starting chain, mined before start (0: node 0 mines a genesis and goes on)", DefaultValueFactory = _ => 0 };
        var noMine = new Option<bool>("--no-mine") { Description = "node 0 does not mine (the network stays at its starting chain)" };
        var logs = new Option<bool>("--logs") { Description = "stream every node's raw log lines instead of the live view (a pipe gets one line per block)" };
        var command = new Command("devnet", "Run a local network of aviary nodes on 127.0.0.1 until Ctrl-C.") { peers, difficulty, webPort, port, blocks, noMine, logs };
        command.SetAction((parse, stop) => RunAsync(
            parse.GetValue(peers), parse.GetValue(difficulty), parse.GetValue(webPort), parse.GetValue(port), parse.GetValue(blocks), stop, !parse.GetValue(noMine), parse.GetValue(logs)));
        return command;
    }

    public static async Task<int> RunAsync(int peers, int difficulty, int webPort, int port, int blocks, CancellationToken stop, bool mine, bool rawLogs)
    {
        var output = Console.Out;
        if (RangeError(peers, difficulty, webPort, port, blocks) is { } problem)
        {
            Console.Error.WriteLine($"aviary devnet: {problem}");
            return ExitCodes.BadInput;
        }

        var chainFile = blocks == 0 ? null : Path.Combine(Path.GetTempPath(), $"aviary-devnet-{Environment.ProcessId}.json");
        var plan = new DevnetPlan(peers, difficulty, port, webPort, chainFile, mine);
        if (plan.BusyPorts() is { Count: > 0 } busy)
        {
            Console.Error.WriteLine($"aviary devnet: ports already in use on 127.0.0.1: {string.Join(", ", busy)}; pick others with --port and --web-port");
            return ExitCodes.BadInput;
        }

        try
        {
            if (chainFile is not null)
            {
                var watch = Stopwatch.StartNew();
                var progress = new ChainProgress(blocks, output, terminal: !Console.IsOutputRedirected);
                var chain = await Task.Run(() => DevnetChain.Mine(blocks, difficulty, DateTimeOffset.UtcNow, progress.Report, stop), stop);
                using (var file = File.Create(chainFile))
                {
                    BlockFile.Write(chain, file);
                }

                output.WriteLine($"devnet: mined a {blocks}-block chain at difficulty {difficulty} in {watch.Elapsed.TotalSeconds:0.00} s; top {chain[^1].Hash}");
            }

            var network = new DevnetWatch(plan);
            using var live = rawLogs || Console.IsOutputRedirected ? null : new LiveOutput(network);
            IDevnetOutput view = live is not null ? live : rawLogs ? new RawLogsOutput(output) : new CalmOutput(output, network);
            await using var nodes = new DevnetNodes(plan, view);
            nodes.Start();
            var serving = await nodes.WaitUntilServingAsync(TimeSpan.FromSeconds(30), stop);
            if (stop.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }

            if (!serving)
            {
                nodes.Say(nodes.FirstExit.IsCompleted
                    ? $"devnet: {nodes.FirstExit.Result.Name} exited with code {nodes.FirstExit.Result.Code}; stopping the devnet"
                    : "devnet: not every node answered STATS within 30 s; stopping the devnet");
                return ExitCodes.Failed;
            }

            using var viewing = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var drawing = Task.CompletedTask;
            if (live is null)
            {
                nodes.Say(Summary(plan));
            }
            else
            {
                drawing = live.RunAsync(viewing.Token);
            }

            var exited = await Task.WhenAny(nodes.FirstExit, Task.Delay(Timeout.Infinite, stop));
            await viewing.CancelAsync();
            await drawing;
            if (exited == nodes.FirstExit)
            {
                // A Ctrl-C on the terminal reaches the children too; give our own signal a moment to land.
                await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None), Task.Delay(Timeout.Infinite, stop));
                if (!stop.IsCancellationRequested)
                {
                    var (name, code) = nodes.FirstExit.Result;
                    nodes.Say($"devnet: {name} exited with code {code}; stopping the devnet");
                    return ExitCodes.Failed;
                }
            }

            nodes.Say($"devnet: stopping {peers} nodes…");
            await nodes.StopAsync();
            nodes.Say("devnet: stopped");
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C while mining the starting chain.
            return ExitCodes.Ok;
        }
        finally
        {
            if (chainFile is not null)
            {
                File.Delete(chainFile);
            }
        }
    }

    /// <summary>Which flag is out of range and what it accepts, or null when all fit.</summary>
    public static string? RangeError(int peers, int difficulty, int webPort, int port, int blocks) =>
        peers is < 1 or > DevnetPlan.MaxPeers ? $"--peers must be 1 to {DevnetPlan.MaxPeers}, got {peers}"
        : difficulty is < 0 or > 8 ? $"--difficulty must be 0 to 8, got {difficulty}"
        : blocks is < 0 or > 10_000 ? $"--blocks must be 0 to 10000, got {blocks}"
        : port < 1 || port + peers - 1 > 65535 ? $"--port must be 1 to {65536 - peers} for {peers} nodes (node i uses --port + i), got {port}"
        : webPort < 0 || (webPort > 0 && webPort + peers - 1 > 65535) ? $"--web-port must be 0 (no dashboards) or 1 to {65536 - peers} for {peers} nodes (node i uses --web-port + i), got {webPort}"
        : null;

    private static string Summary(DevnetPlan plan)
    {
        var lines = new List<string> { $"devnet: {plan.Peers} nodes on 127.0.0.1, difficulty {plan.Difficulty}; Ctrl-C stops them all" };
        for (var i = 0; i < plan.Peers; i++)
        {
            var web = plan.WebPortOf(i) == 0 ? "no dashboard" : $"dashboard http://127.0.0.1:{plan.WebPortOf(i)}/";
            lines.Add($"  {plan.Name(i),-9} udp 127.0.0.1:{plan.UdpPortOf(i)}  {web}");
        }

        lines.Add($"  try: aviary probe 127.0.0.1:{plan.UdpPortOf(0)}");
        return string.Join(Environment.NewLine, lines);
    }
}
