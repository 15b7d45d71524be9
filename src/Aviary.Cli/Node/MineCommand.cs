using System.CommandLine;

using Aviary.Mining;
using Aviary.Mining.Gpu;
using Aviary.Mining.Remote;
using Aviary.Node;

namespace Aviary.Cli;

/// <summary><c>aviary mine --connect HOST:PORT</c>: a remote worker for a node started with <c>--miner-port</c>.</summary>
internal static class MineCommand
{
    public static Command Create()
    {
        var connect = new Option<string>("--connect") { Description = "the node's worker port, HOST:PORT", Required = true };
        var threads = new Option<int?>("--threads") { Description = "mining threads (default: every core)" };
        var name = new Option<string?>("--name") { Description = "worker name the node shows (default: this machine's name)" };
        var gpu = new Option<bool>("--gpu") { Description = "a GPU worker: mine on a CUDA GPU instead of CPU threads (no usable GPU: one line, exit 2)" };
        var gpuFlags = new GpuFlags();
        var command = new Command("mine", "Mine for a node as a remote worker: take jobs over TCP, send solutions, reconnect when cut off.")
        {
            connect, threads, name, gpu, gpuFlags.Device, gpuFlags.Accelerator,
        };
        command.SetAction(async (parse, stop) =>
        {
            if (!PeerAddress.TryParse(parse.GetValue(connect)!, out var node, out var why))
            {
                Console.Error.WriteLine($"aviary mine: --connect: {why}");
                return ExitCodes.BadInput;
            }

            var count = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (count is < 1 or > 4096)
            {
                Console.Error.WriteLine($"aviary mine: --threads must be 1 to 4096, got {count}");
                return ExitCodes.BadInput;
            }

            var workerName = parse.GetValue(name) ?? Environment.MachineName;
            if (workerName.Length is 0 or > WorkerHello.MaxName)
            {
                Console.Error.WriteLine($"aviary mine: --name must be 1 to {WorkerHello.MaxName} characters");
                return ExitCodes.BadInput;
            }

            using var gpuTier = parse.GetValue(gpu) ? OpenGpu(parse, gpuFlags, parse.GetValue(threads)) : null;
            if (parse.GetValue(gpu) && gpuTier is null)
            {
                return ExitCodes.BadInput;
            }

            using var logging = Logging.Create();
            var miner = gpuTier is null ? new Miner(HashTiers.Best, count) : new Miner(gpuTier, 1);
            if (gpuTier is not null)
            {
                Console.Error.WriteLine($"aviary mine: mining on the GPU {gpuTier.Label}");
            }

            var client = new WorkerClient(node.Host, node.Port, workerName, miner, new WorkerClientOptions(), logging.CreateLogger("worker"));
            await client.RunAsync(stop);
            Console.Error.WriteLine($"aviary mine: stopped after {client.Connections} connections, {client.JobsReceived} jobs, {client.SolutionsSent} solutions");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The worker's GPU, or null after one line on stderr.</summary>
    private static GpuTier? OpenGpu(ParseResult parse, GpuFlags flags, int? threads)
    {
        if (threads is not null)
        {
            Console.Error.WriteLine("aviary mine: --gpu mines on the GPU only; leave out --threads (run a second worker for the CPU)");
            return null;
        }

        if (!flags.TryRead(parse, "aviary mine", out var options))
        {
            return null;
        }

        var tier = GpuDevices.TryOpen(options, out var error);
        if (tier is null)
        {
            Console.Error.WriteLine($"aviary mine: --gpu: {error}");
        }

        return tier;
    }
}
