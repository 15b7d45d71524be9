using System.Net;
using System.Net.Sockets;

using Aviary.Mining;
using Aviary.Mining.Gpu;
using Aviary.Mining.Remote;
using Aviary.Node.Core;
using Aviary.Node.Mining;
using Aviary.Node.Udp;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting.Mining;

/// <summary>What the mining settings start beside a node: the node's miner threads, the worker port, the coordinator.</summary>
public static class MiningSetup
{
    /// <summary>How often a running miner logs its rate.</summary>
    private static readonly TimeSpan RateLogInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts mining for <paramref name="core"/> (on its host's thread) when the settings ask for it. Null
    /// host and no error: mining is off. An error: the worker port could not be opened, or the GPU, when
    /// it was to be the only miner. A GPU that cannot be used beside CPU threads or workers is logged in
    /// one line and mining goes on without it.
    /// </summary>
    public static MiningHost? Start(MiningSettings settings, UdpHost host, NodeCore core, ILoggerFactory logging, out string? error)
    {
        error = null;
        if (!settings.Enabled)
        {
            return null;
        }

        var logger = logging.CreateLogger("mining");
        WorkerServer? workers = null;
        if (settings.WorkerPort is { } port)
        {
            try
            {
                workers = WorkerServer.Start(new IPEndPoint(IPAddress.Parse(settings.WorkerBind), port), new WorkerServerOptions(), logging.CreateLogger("workers"));
            }
            catch (SocketException e)
            {
                error = $"cannot listen for workers on tcp {settings.WorkerBind}:{port}: {e.Message}";
                return null;
            }
        }

        var gpu = OpenGpu(settings, settings.Threads > 0 || workers is not null, logger, out error);
        if (error is not null)
        {
            return null;
        }

        var tier = HashTiers.Best;
        var miner = settings.Threads > 0 ? new Miner(tier, settings.Threads) : null;
        var engine = new MiningHost(miner, workers, logger, gpu);
        var coordinator = new MiningCoordinator(core, engine, settings.Options(), host.Post, logger);
        host.Post(() =>
        {
            coordinator.Start();
            core.Every(RateLogInterval, () => LogRate(logger, coordinator.Status()));
        });
        logger.LogInformation(
            "mining as \"{Name}\" on {Threads} threads ({Tier}){Gpu}{Genesis}{Workers}",
            core.Options.Name,
            settings.Threads,
            tier.Name,
            gpu is null ? string.Empty : $" and the GPU {gpu.Label} ({gpu.LaunchCounters} counters a launch)",
            settings.Genesis.Count > 0 ? $"; a genesis of {settings.Genesis.Count} messages if the chain is empty" : string.Empty,
            workers is null ? string.Empty : $"; remote workers on tcp {workers.LocalEndPoint}");
        return engine;
    }

    /// <summary>
    /// The GPU the settings ask for, or null: not asked for, or not usable. Not usable beside other miners
    /// (<paramref name="othersMine"/>): one warning line, and mining goes on without it. Not usable as the
    /// only miner: a one-line <paramref name="error"/> that stops the node.
    /// </summary>
    public static GpuTier? OpenGpu(MiningSettings settings, bool othersMine, ILogger logger, out string? error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        error = null;
        if (!settings.Gpu)
        {
            return null;
        }

        var gpu = GpuDevices.TryOpen(settings.GpuOptions, out var why);
        if (gpu is not null)
        {
            return gpu;
        }

        if (othersMine)
        {
            logger.LogWarning("mining: no GPU: {Error}; mining goes on without it", why);
        }
        else
        {
            error = $"--gpu: {why}";
        }

        return null;
    }

    private static void LogRate(ILogger logger, Node.MinerStatus s) =>
        logger.LogInformation(
            "mining: {Rate:0.0} M attempts/s on {Threads} threads ({Tier}){Gpus}, {Workers} workers at {Remote:0.0} M/s; job at height {Height}; {Mined} blocks mined, {Queued} words queued",
            s.AttemptsPerSecond / 1e6,
            s.Threads,
            s.Tier,
            string.Concat(s.Gpus.Select(g => $", {g.AttemptsPerSecond / 1e6:0.0} M/s on the GPU {g.Device}")),
            s.Workers.Count,
            s.RemoteAttemptsPerSecond / 1e6,
            s.TemplateHeight?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            s.BlocksMined,
            s.QueuedWords);
}
