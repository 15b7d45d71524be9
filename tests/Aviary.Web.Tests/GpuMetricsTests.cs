using Aviary.Chain;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Web.Tests;

/// <summary>/metrics shows each GPU's rate, by device, when the node mines on one.</summary>
public sealed class GpuMetricsTests
{
    [Fact]
    public async Task Each_gpu_has_its_rate_series()
    {
        await using var node = await LiveNode.StartAsync(blocks: 1);
        await node.Access.ReadAsync(core =>
        {
            new MiningCoordinator(core, new OneGpuEngine(), new MiningOptions(), work => work(), NullLogger.Instance).Start();
            return true;
        }, TestContext.Current.CancellationToken);

        var samples = MetricsTests.Parse(await node.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        Assert.Equal(12_500_000_000, samples["aviary_miner_gpu_hashes_per_second{device=\"Test GPU 0\"}"]);
    }

    /// <summary>An engine that mines nothing and reports one GPU.</summary>
    private sealed class OneGpuEngine : IMiningEngine
    {
        public event Action<MiningJob, Block>? Found
        {
            add { }
            remove { }
        }

        public void Start(MiningJob job)
        {
        }

        public void Stop()
        {
        }

        public EngineStatus Status() => new(0, "none", 0, [], 0, [new GpuStatus("Test GPU 0", 12_500_000_000)]);
    }
}
