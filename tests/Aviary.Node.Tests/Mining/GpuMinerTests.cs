using Aviary.Chain;
using Aviary.Hosting.Mining;
using Aviary.Mining;
using Aviary.Mining.Gpu;

using Microsoft.Extensions.Logging.Abstractions;

using static Aviary.Node.Tests.Mining.MiningFixtures;

namespace Aviary.Node.Tests.Mining;

/// <summary>The node's GPU behind the coordinator, on ILGPU's CPU accelerator (the same kernel, no GPU needed).</summary>
public sealed class GpuMinerTests
{
    private const int Difficulty = 3;

    private static readonly GpuOptions CpuAccelerator = new() { Accelerator = GpuAccelerator.Cpu, ThreadsPerLaunch = 8, CountersPerThread = 256 };

    [Fact]
    public async Task A_gpu_only_node_mines_on_the_gpus_own_range_and_reports_its_rate()
    {
        var (net, node) = NodeWithPeers(new TestChain { Difficulty = Difficulty }.Mine(3), Difficulty);
        using var pump = new CorePump(net);
        var gpu = GpuDevices.TryOpen(CpuAccelerator, out var error) ?? throw new InvalidOperationException(error);
        await using var engine = new MiningHost(null, null, NullLogger.Instance, gpu);
        var coordinator = Coordinator(node, engine, post: pump.Post);
        coordinator.Start();

        pump.RunUntil(() => node.Chain.Count == 4);

        var block = node.Chain.Top!;
        Assert.True(BlockValidator.Validate(block, node.Chain[2]!.Hash, 3, Difficulty).IsValid);
        var counter = Convert.ToUInt64(block.Nonce[^NonceLayout.CounterDigits..], 16);
        Assert.InRange(counter, CounterRanges.GpuStart, CounterRanges.LocalEnd - 1);
        var status = coordinator.Status();
        Assert.Equal(0, status.Threads);
        var row = Assert.Single(status.Gpus);
        Assert.Equal(gpu.Label, row.Device);
    }

    [Fact]
    public void A_missing_gpu_beside_cpu_threads_is_one_warning_and_mining_goes_on()
    {
        var log = new ListLogger();
        var settings = new MiningSettings { Mine = true, Gpu = true, GpuOptions = CpuAccelerator with { Device = 99 } };

        var gpu = MiningSetup.OpenGpu(settings, othersMine: true, log, out var error);

        Assert.Null(gpu);
        Assert.Null(error);
        var line = Assert.Single(log.Lines);
        Assert.Contains("no GPU: there is no CPU accelerator device 99", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_gpu_that_was_to_be_the_only_miner_is_a_one_line_error()
    {
        var settings = new MiningSettings { Mine = true, Threads = 0, Gpu = true, GpuOptions = CpuAccelerator with { Device = 99 } };

        var gpu = MiningSetup.OpenGpu(settings, othersMine: false, NullLogger.Instance, out var error);

        Assert.Null(gpu);
        Assert.NotNull(error);
        Assert.StartsWith("--gpu: there is no CPU accelerator device 99", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
