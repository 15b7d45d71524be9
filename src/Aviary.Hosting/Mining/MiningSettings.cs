using System.Net;

using Aviary.Mining.Gpu;
using Aviary.Node.Mining;

using Microsoft.Extensions.Configuration;

namespace Aviary.Hosting.Mining;

/// <summary>The mining part of <see cref="NodeSettings"/>: <c>--mine</c>, <c>--threads</c>, <c>--mine-message</c>, <c>--genesis</c>, <c>--miner-port</c>, <c>--miner-bind</c>, <c>--gpu</c>, <c>--gpu-device</c>, <c>--gpu-accelerator</c>.</summary>
public sealed record MiningSettings
{
    /// <summary>Mine blocks on our tip.</summary>
    public bool Mine { get; init; }

    /// <summary>Mining threads of the node itself (default: every core; 0 with a worker port: remote workers only).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The message of a block mined with no NEW_WORD queued.</summary>
    public string Message { get; init; } = MiningOptions.DefaultMessageText;

    /// <summary>Messages of a genesis block to mine if the chain is empty.</summary>
    public IReadOnlyList<string> Genesis { get; init; } = [];

    /// <summary>TCP port for remote workers; null: no listener.</summary>
    public int? WorkerPort { get; init; }

    /// <summary>Address the worker listener binds to.</summary>
    public string WorkerBind { get; init; } = "127.0.0.1";

    /// <summary>Mine on a GPU too, on its own counter range.</summary>
    public bool Gpu { get; init; }

    /// <summary>Which GPU (and, for tests, whether ILGPU's CPU accelerator stands in for it).</summary>
    public GpuOptions GpuOptions { get; init; } = new();

    /// <summary>True when the node runs a miner at all (blocks, or only a genesis).</summary>
    public bool Enabled => Mine || Genesis.Count > 0;

    /// <summary>Reads the mining keys of <paramref name="config"/>; genesis messages given as flags replace the configured ones.</summary>
    public static bool TryRead(IConfiguration config, IReadOnlyList<string> flagGenesis, out MiningSettings settings, out string error)
    {
        settings = new MiningSettings();
        error = string.Empty;
        var genesis = flagGenesis.Count > 0 ? flagGenesis : [.. config.GetSection("Genesis").GetChildren().Select(c => c.Value ?? string.Empty)];
        if (!ConfigValues.TryInt(config, "Threads", Environment.ProcessorCount, 0, 4096, out var threads, ref error)
            || !ConfigValues.TryInt(config, "MinerPort", 0, 0, 65535, out var port, ref error)
            || !ConfigValues.TryInt(config, "GpuDevice", 0, 0, 1024, out var gpuDevice, ref error))
        {
            return false;
        }

        var accelerator = GpuAccelerator.Cuda;
        if (config["GpuAccelerator"] is { } acceleratorText && !GpuOptions.TryParseAccelerator(acceleratorText, out accelerator))
        {
            error = $"--gpu-accelerator must be cuda or cpu, got \"{acceleratorText}\"";
            return false;
        }

        settings = new MiningSettings
        {
            Mine = string.Equals(config["Mine"], "true", StringComparison.OrdinalIgnoreCase),
            Threads = threads,
            Message = config["MineMessage"] ?? MiningOptions.DefaultMessageText,
            Genesis = genesis,
            WorkerPort = config["MinerPort"] is null ? null : port,
            WorkerBind = config["MinerBind"] ?? "127.0.0.1",
            Gpu = string.Equals(config["Gpu"], "true", StringComparison.OrdinalIgnoreCase),
            GpuOptions = new GpuOptions { Device = gpuDevice, Accelerator = accelerator },
        };
        if (settings.Options().Problem() is { } problem)
        {
            error = problem;
            return false;
        }

        if (!IPAddress.TryParse(settings.WorkerBind, out _))
        {
            error = $"--miner-bind must be an IP address, got \"{settings.WorkerBind}\"";
            return false;
        }

        if (settings.Enabled && threads == 0 && settings.WorkerPort is null && !settings.Gpu)
        {
            error = "--threads 0 mines with remote workers or a GPU only, so it needs --miner-port or --gpu";
            return false;
        }

        return true;
    }

    /// <summary>The coordinator's options.</summary>
    public MiningOptions Options() => new() { MineBlocks = Mine, DefaultMessage = Message, GenesisMessages = Genesis };
}
