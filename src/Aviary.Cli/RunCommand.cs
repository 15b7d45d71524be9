using System.CommandLine;
using System.Net;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Node.Udp;
using Aviary.Protocol;
using Aviary.Web;

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
        var commitBatch = new Option<int?>("--commit-batch") { Description = "verified sync blocks per store transaction (default 2048; for tests)", Hidden = true };
        var command = new Command("run", "Run a peer: join, gossip, serve and follow the chain.")
        {
            name, host, port, bind, peers, network, difficulty, data, inMemory, id, chain, config, webPort, webBind, noWeb, commitBatch,
        };
        foreach (var option in MiningSetup.Options)
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
            };
            foreach (var (key, value) in MiningSetup.Flags(parse))
            {
                flags[key] = value;
            }

            if (!NodeSettings.TryLoad(parse.GetValue(config)?.FullName, flags, parse.GetValue(peers) ?? [], out var settings, out var error, parse.GetValue(MiningSetup.Genesis) ?? []))
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
        var logger = logging.CreateLogger("aviary");
        if (!IPAddress.TryParse(settings.Bind, out var bindAddress))
        {
            Console.Error.WriteLine($"aviary run: --bind must be an IP address, got \"{settings.Bind}\"");
            return ExitCodes.BadInput;
        }

        var difficulty = settings.Difficulty ?? NetworkPresets.Local.Difficulty;
        using var store = ChainStores.Open(settings, out var storeError);
        if (store is null)
        {
            Console.Error.WriteLine($"aviary run: {storeError}");
            return ExitCodes.BadInput;
        }

        LocalChain local;
        try
        {
            local = new LocalChain(store, difficulty);
        }
        catch (ChainStoreException e)
        {
            Console.Error.WriteLine($"aviary run: {e.Message}");
            return ExitCodes.BadInput;
        }

        ChainStores.Report(store, local, logger);
        if (settings.ChainFile is { } file && !LoadChainFile(file, local, logger))
        {
            return ExitCodes.Failed;
        }

        UdpHost host;
        try
        {
            host = new UdpHost(new IPEndPoint(bindAddress, settings.Port), logging.CreateLogger("udp")) { NamesLocalHost = !settings.FixedHost };
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Console.Error.WriteLine($"aviary run: cannot bind udp {settings.Bind}:{settings.Port}: {e.Message}");
            return ExitCodes.BadInput;
        }

        using (host)
        {
            var options = new NodeOptions
            {
                Name = settings.Name,
                AdvertisedHost = settings.AdvertisedHost(),
                Port = host.LocalEndPoint.Port,
                Id = settings.Id ?? Guid.NewGuid().ToString("N")[..12],
                Bootstrap = settings.Peers,
                Difficulty = difficulty,
                ResponseLimits = settings.ResponseLimits,
            };
            var limits = new SyncLimits();
            var core = new NodeCore(options, local, host, TimeProvider.System, logging.CreateLogger("node"), new Random())
            {
                SyncLimits = settings.CommitBatch is { } batch ? limits with { CommitBatch = batch } : limits,
            };
            logger.LogInformation(
                "listening on udp {Bind}, advertising {Advertised} as \"{Name}\" (id {Id}); network {Network}, difficulty {Difficulty}; chain {Count} blocks in {Store}; peers {Peers}",
                host.LocalEndPoint, Advertising(settings, options), options.Name, options.Id, settings.Network, difficulty, local.Count, store.Description, settings.Peers.Count == 0 ? "none (waiting to be gossiped to)" : string.Join(", ", settings.Peers));
            await using var mining = MiningSetup.Start(settings.Mining, host, core, logging, out var miningError);
            if (miningError is not null)
            {
                Console.Error.WriteLine($"aviary run: {miningError}");
                return ExitCodes.BadInput;
            }

            var bar = new SyncProgressBar(host, core, Console.Error).RunAsync(stop);
            var run = host.RunAsync(core, stop);
            await using (var dashboard = await Dashboard.StartAsync(settings, new NodeAccess(core, host.Post), logging, logger))
            {
                try
                {
                    await run;
                }
                catch (OperationCanceledException)
                {
                }
            }

            await bar;

            logger.LogInformation("stopped: chain {Count} blocks, top {Top}", local.Count, local.TopHash ?? "none");
        }

        return ExitCodes.Ok;
    }

    /// <summary>What the start-up line says we advertise, and why.</summary>
    private static string Advertising(NodeSettings settings, NodeOptions options) =>
        settings.FixedHost
            ? $"{new PeerAddress(options.AdvertisedHost, options.Port)} (--host)"
            : $"to each peer the address it reaches us on ({new PeerAddress(options.AdvertisedHost, options.Port)} where none is known; --host to fix one)";

    private static bool LoadChainFile(string path, LocalChain local, ILogger logger)
    {
        if (!BlockFile.TryRead(File.ReadAllBytes(path), out var blocks, out var problem))
        {
            Console.Error.WriteLine($"aviary run: --chain {path} is malformed: {problem}");
            return false;
        }

        if (blocks.Count <= local.Count)
        {
            logger.LogInformation("--chain {Path}: {Count} blocks, not longer than the stored {Stored}; keeping the stored chain", path, blocks.Count, local.Count);
            return true;
        }

        var verdict = local.Count == 0 ? local.TryAdopt(0, blocks) : AdoptOverStored(local, blocks);
        if (!verdict.IsValid)
        {
            Console.Error.WriteLine($"aviary run: --chain {path} refused: {verdict}");
            return false;
        }

        logger.LogInformation("--chain {Path}: loaded {Count} verified blocks", path, blocks.Count);
        return true;
    }

    private static BlockVerdict AdoptOverStored(LocalChain local, List<Block> blocks)
    {
        // Keep what we share, replace from the first difference.
        var fork = 0;
        while (fork < local.Count && local[fork]!.Hash == blocks[fork].Hash)
        {
            fork++;
        }

        var verdict = local.VerifyBranch(0, blocks);
        return verdict.IsValid ? local.TryAdopt(fork, blocks[fork..]) : verdict;
    }
}
