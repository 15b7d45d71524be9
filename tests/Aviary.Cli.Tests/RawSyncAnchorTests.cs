using Aviary.Bench;

namespace Aviary.Cli.Tests;

/// <summary>
/// The ceilings <c>aviary bench sync</c> prints beside Aviary's figure: both raw anchors (plain
/// sockets, and recvmmsg/sendmmsg batches) fetch every height of a chain from their servers on
/// loopback and report a pace.
/// </summary>
public sealed class RawSyncAnchorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fetches_every_height_and_reports_its_pace(bool batched)
    {
        Assert.SkipWhen(batched && !RawCeiling.CanBatch, "the batched anchor needs 64-bit Linux");
        var chain = BenchChain.Mine(600, difficulty: 1);

        var pace = RawSyncAnchor.Run(chain, servers: 3, inFlightPerServer: 32, batched, TestContext.Current.CancellationToken);

        Assert.NotNull(pace);
        Assert.True(pace.BlocksPerSecond > 0);
        Assert.True(pace.CpuMicrosecondsPerBlock > 0);
    }
}
