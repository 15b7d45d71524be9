using System.CommandLine;

using Aviary.Node.Mining;

namespace Aviary.Cli;

/// <summary>The mining flags of <c>aviary run</c>; what they start is <see cref="Hosting.Mining.MiningSetup"/>'s part.</summary>
internal static class MiningFlags
{
    public static readonly Option<bool> Mine = new("--mine") { Description = "mine blocks on our tip (all cores unless --threads)" };
    public static readonly Option<int?> Threads = new("--threads") { Description = "mining threads of this node (default: every core; 0: remote workers only)" };
    public static readonly Option<string?> Message = new("--mine-message") { Description = $"the message of a block mined with no NEW_WORD queued (default \"{MiningOptions.DefaultMessageText}\")" };
    public static readonly Option<string[]> Genesis = new("--genesis") { Description = "mine a genesis block with this message (repeatable, 1–10) when the chain is empty", AllowMultipleArgumentsPerToken = false };
    public static readonly Option<int?> WorkerPort = new("--miner-port") { Description = "TCP port for remote workers (aviary mine --connect); off unless given" };
    public static readonly Option<string?> WorkerBind = new("--miner-bind") { Description = "address the worker port binds to (default 127.0.0.1)" };

    public static readonly Option<bool> Gpu = new("--gpu") { Description = "mine on a CUDA GPU too, on its own counter range (no GPU: one line, and the CPU threads mine on)" };
    public static readonly Option<int?> GpuDevice = new("--gpu-device") { Description = "which CUDA GPU (default 0)" };
    public static readonly Option<string?> GpuAccelerator = new("--gpu-accelerator") { Description = "cuda (default), or cpu: ILGPU's CPU accelerator stands in for the GPU (for tests)" };

    public static IEnumerable<Option> Options => [Mine, Threads, Message, Genesis, WorkerPort, WorkerBind, Gpu, GpuDevice, GpuAccelerator];

    /// <summary>The mining flags as configuration keys (null: not given).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Flags(ParseResult parse)
    {
        yield return new("Mine", parse.GetValue(Mine) ? "true" : null);
        yield return new("Threads", parse.GetValue(Threads)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("MineMessage", parse.GetValue(Message));
        yield return new("MinerPort", parse.GetValue(WorkerPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("MinerBind", parse.GetValue(WorkerBind));
        yield return new("Gpu", parse.GetValue(Gpu) ? "true" : null);
        yield return new("GpuDevice", parse.GetValue(GpuDevice)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("GpuAccelerator", parse.GetValue(GpuAccelerator));
    }
}
