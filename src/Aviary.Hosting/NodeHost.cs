using System.Net;
using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Hosting.Mining;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Node.Udp;
using Aviary.Web;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting;

/// <summary>
/// One node put together from its <see cref="NodeSettings"/>: the chain store and chain, the UDP host,
/// the core, mining when asked for, and (while it runs) the dashboard. <c>aviary run</c> is this plus
/// flags and a progress bar; tests can start one on loopback with an in-memory store.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly NodeSettings settings;
    private readonly IChainStore store;
    private readonly ILoggerFactory logging;
    private readonly ILogger logger;
    private readonly TaskCompletionSource<Uri?> dashboardAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeHost(NodeSettings settings, IChainStore store, LocalChain chain, UdpHost udp, NodeCore core, ILoggerFactory logging, ILogger logger)
    {
        this.settings = settings;
        this.store = store;
        this.logging = logging;
        this.logger = logger;
        Chain = chain;
        Udp = udp;
        Core = core;
    }

    /// <summary>Our chain, over the store the settings chose.</summary>
    public LocalChain Chain { get; }

    /// <summary>The socket and the core's thread.</summary>
    public UdpHost Udp { get; }

    /// <summary>The node (touch it only on the core thread: <see cref="UdpHost.Post"/>).</summary>
    public NodeCore Core { get; }

    /// <summary>The mining engine, or null when the node does not mine.</summary>
    public MiningHost? Mining { get; private set; }

    /// <summary>Where the dashboard listens, once <see cref="RunAsync"/> started it; null when it is off or could not start.</summary>
    public Task<Uri?> DashboardAddress => dashboardAddress.Task;

    /// <summary>How other threads read the node.</summary>
    public NodeAccess Access => new(Core, Udp.Post);

    /// <summary>
    /// Opens the store, loads the chain (and the chain file, if any), binds the socket, builds the core
    /// and sets mining up, logging each step as <c>aviary run</c> does. Nothing runs until
    /// <see cref="RunAsync"/>. Null with <paramref name="failure"/> when a step fails; what was opened
    /// before it is closed again.
    /// </summary>
    public static NodeHost? Create(NodeSettings settings, ILoggerFactory logging, out StartFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logging);
        var logger = logging.CreateLogger("aviary");
        failure = null;
        if (!IPAddress.TryParse(settings.Bind, out var bindAddress))
        {
            failure = new(StartFailureKind.BadSettings, $"--bind must be an IP address, got \"{settings.Bind}\"");
            return null;
        }

        var difficulty = settings.Difficulty ?? NetworkPresets.Local.Difficulty;
        var store = ChainStores.Open(settings, out var storeError);
        if (store is null)
        {
            failure = new(StartFailureKind.BadSettings, storeError);
            return null;
        }

        NodeHost? node = null;
        try
        {
            node = Compose(settings, store, difficulty, bindAddress, logging, logger, out failure);
            return node;
        }
        finally
        {
            if (node is null)
            {
                store.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs the core and its receive thread until <paramref name="stop"/> is cancelled, with the
    /// dashboard beside them while they run.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var run = Udp.RunAsync(Core, stop);
        var census = settings.Census ? CensusService.Create(settings, Access) : null;
        var censusRun = census?.RunAsync(stop) ?? Task.CompletedTask;
        if (census is not null)
        {
            logger.LogInformation("census on: one peer graded every {Interval} s", settings.CensusInterval);
        }

        await using (var dashboard = await Dashboard.StartAsync(settings, Access, logging, logger, network: census is null ? null : census.View))
        {
            dashboardAddress.TrySetResult(dashboard?.Address);
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
        }

        await censusRun;
    }

    /// <summary>Stops mining, closes the socket, then the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Mining is not null)
        {
            await Mining.DisposeAsync();
        }

        Udp.Dispose();
        store.Dispose();
    }

    private static NodeHost? Compose(NodeSettings settings, IChainStore store, int difficulty, IPAddress bindAddress, ILoggerFactory logging, ILogger logger, out StartFailure? failure)
    {
        failure = null;
        LocalChain local;
        try
        {
            local = new LocalChain(store, difficulty);
        }
        catch (ChainStoreException e)
        {
            failure = new(StartFailureKind.BadSettings, e.Message);
            return null;
        }

        ChainStores.Report(store, local, logger);
        if (settings.ChainFile is { } file && !ChainFiles.TryLoad(file, local, logger, out var chainError))
        {
            failure = new(StartFailureKind.ChainRefused, chainError);
            return null;
        }

        UdpHost host;
        try
        {
            host = new UdpHost(new IPEndPoint(bindAddress, settings.Port), logging.CreateLogger("udp")) { NamesLocalHost = !settings.FixedHost };
        }
        catch (SocketException e)
        {
            failure = new(StartFailureKind.BadSettings, $"cannot bind udp {settings.Bind}:{settings.Port}: {e.Message}");
            return null;
        }

        NodeHost? node = null;
        try
        {
            node = Assemble(settings, store, local, host, difficulty, logging, logger, out failure);
            return node;
        }
        finally
        {
            if (node is null)
            {
                host.Dispose();
            }
        }
    }

    private static NodeHost? Assemble(NodeSettings settings, IChainStore store, LocalChain local, UdpHost host, int difficulty, ILoggerFactory logging, ILogger logger, out StartFailure? failure)
    {
        failure = null;
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
        var mining = MiningSetup.Start(settings.Mining, host, core, logging, out var miningError);
        if (miningError is not null)
        {
            failure = new(StartFailureKind.BadSettings, miningError);
            return null;
        }

        return new NodeHost(settings, store, local, host, core, logging, logger) { Mining = mining };
    }

    /// <summary>What the start-up line says we advertise, and why.</summary>
    private static string Advertising(NodeSettings settings, NodeOptions options) =>
        settings.FixedHost
            ? $"{new PeerAddress(options.AdvertisedHost, options.Port)} (--host)"
            : $"to each peer the address it reaches us on ({new PeerAddress(options.AdvertisedHost, options.Port)} where none is known; --host to fix one)";
}
