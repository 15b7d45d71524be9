using System.CommandLine;

using Aviary.Hosting;

using Microsoft.Extensions.Logging;

namespace Aviary.Cli;

/// <summary><c>aviary run</c>: a full peer on one UDP port until Ctrl-C or SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name") { Description = "display name in GOSSIP and minedBy (default Aviary)" };
        var host = new Option<string?>("--host") { Description = "host to advertise in GOSSIP to every peer (default: to each peer, the local address it reaches us on)" };
        var port = new Option<int?>("--port") { Description = "UDP port (default 8999)" };
        var bind = new Option<string?>("--bind") { Description = "address to bind (default 0.0.0.0)" };
        var peers = new Option<string[]>("--peer") { Description = "bootstrap peer HOST:PORT (repeatable)", AllowMultipleArgumentsPerToken = false };
        var network = new Option<string?>("--network") { Description = "preset: local (default; no bootstrap) or umanitoba (the course's well-known host)" };
        var difficulty = new Option<int?>("--difficulty") { Description = "trailing '0' hex characters a block hash needs (default 8)" };
        var data = new Option<string?>("--data") { Description = "data directory for the chain store" };
        var inMemory = new Option<bool>("--in-memory") { Description = "keep the chain in memory only" };
        var id = new Option<string?>("--id") { Description = "stable node id (prefix of our gossip ids)" };
        var chain = new Option<FileInfo?>("--chain") { Description = "load a chain from genesis (aviary verify format); verified first" };
        var config = new Option<FileInfo?>("--config") { Description = "settings file (default ./aviary.json if present)" };
        var webPort = new Option<int?>("--web-port") { Description = "dashboard TCP port (default 8998; 0 turns it off)" };
        var webBind = new Option<string?>("--web-bind") { Description = "dashboard listen address (default 127.0.0.1)" };
        var noWeb = new Option<bool>("--no-web") { Description = "no dashboard" };
        var census = new Option<bool>("--census") { Description = "keep a census of every peer ever heard of, graded one at a time (dashboard: /network, /api/network)" };
        var censusInterval = new Option<int?>("--census-interval") { Description = "seconds between two census gradings (one peer each; default 60)" };
        var commitBatch = new Option<int?>("--commit-batch") { Description = "verified sync blocks per store transaction (default 2048; for tests)", Hidden = true };
        var command = new Command("run", "Run a peer: join, gossip, serve and follow the chain.")
        {
            name, host, port, bind, peers, network, difficulty, data, inMemory, id, chain, config, webPort, webBind, noWeb, commitBatch, census, censusInterval,
        };
        foreach (var option in MiningFlags.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, stop) =>
        {
            var flags = new Dictionary<string, string?>
            {
                ["Name"] = parse.GetValue(name),
                ["Host"] = parse.GetValue(host),
                ["Port"] = parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Bind"] = parse.GetValue(bind),
                ["Network"] = parse.GetValue(network),
                ["Difficulty"] = parse.GetValue(difficulty)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Data"] = parse.GetValue(data),
                ["InMemory"] = parse.GetValue(inMemory) ? "true" : null,
                ["Id"] = parse.GetValue(id),
                ["Chain"] = parse.GetValue(chain)?.FullName,
                ["WebPort"] = parse.GetValue(webPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["WebBind"] = parse.GetValue(webBind),
                ["NoWeb"] = parse.GetValue(noWeb) ? "true" : null,
                ["CommitBatch"] = parse.GetValue(commitBatch)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Census"] = parse.GetValue(census) ? "true" : null,
                ["CensusInterval"] = parse.GetValue(censusInterval)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in MiningFlags.Flags(parse))
            {
                flags[key] = value;
            }

            if (!NodeSettings.TryLoad(parse.GetValue(config)?.FullName, flags, parse.GetValue(peers) ?? [], out var settings, out var error, parse.GetValue(MiningFlags.Genesis) ?? []))
            {
                Console.Error.WriteLine($"aviary run: {error}");
                return Task.FromResult(ExitCodes.BadInput);
            }

            return RunAsync(settings, stop);
        });
        return command;
    }

    public static async Task<int> RunAsync(NodeSettings settings, CancellationToken stop)
    {
        using var logging = Logging.Create();
        var node = NodeHost.Create(settings, logging, out var failure);
        if (node is null)
        {
            Console.Error.WriteLine($"aviary run: {failure!.Message}");
            return failure.Kind == StartFailureKind.ChainRefused ? ExitCodes.Failed : ExitCodes.BadInput;
        }

        await using (node)
        {
            var bar = new SyncProgressBar(node.Udp, node.Core, Console.Error).RunAsync(stop);
            await node.RunAsync(stop);
            await bar;
            logging.CreateLogger("aviary").LogInformation("stopped: chain {Count} blocks, top {Top}", node.Chain.Count, node.Chain.TopHash ?? "none");
        }

        return ExitCodes.Ok;
    }
}
