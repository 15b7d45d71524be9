using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining.Gpu.Tests;

/// <summary>A job change stops the GPU search at the next launch boundary, and the next job runs at once.</summary>
public sealed class InterruptTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void Cancelling_during_a_launch_ends_the_search_when_that_launch_ends()
    {
        using var tier = Open();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var launches = 0;
        tier.LaunchCompleted += () =>
        {
            if (++launches == 2)
            {
                cts.Cancel();
            }
        };
        var layout = NonceLayout.For(KernelTests.Template("block 1, 1 message"));

        // 64 zeros: never found, so only the cancellation can end this search of 2^30 counters.
        var found = tier.Search(layout, 0, 1UL << 30, Hex.HashLength, cts.Token, out var attempts);

        Assert.Null(found);
        Assert.Equal(2, launches);
        Assert.Equal(2 * tier.LaunchCounters, attempts);
    }

    [Fact]
    public async Task A_new_job_replaces_the_one_the_gpu_is_mining()
    {
        using var tier = Open();
        await using var runner = new JobRunner(new Miner(tier, 1));
        var firstLaunch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var found = new TaskCompletionSource<(MiningJob Job, Block Block)>(TaskCreationOptions.RunContinuationsAsynchronously);
        tier.LaunchCompleted += () => firstLaunch.TrySetResult();
        runner.Found += (job, block) => found.TrySetResult((job, block));
        var hopeless = new MiningJob(1, KernelTests.Template("block 1, 1 message"), Hex.HashLength);
        var easy = new MiningJob(2, KernelTests.Template("block 812, 10 messages"), 3);

        runner.Run(hopeless, CounterRanges.LocalEnd / 2, CounterRanges.LocalEnd);
        await firstLaunch.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        runner.Run(easy, CounterRanges.LocalEnd / 2, CounterRanges.LocalEnd);
        var (job, block) = await found.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(2, job.Id);
        var expected = HashTiers.Scalar.Search(easy.Template, CounterRanges.LocalEnd / 2, 1UL << 24, 3, TestContext.Current.CancellationToken);
        Assert.Equal(expected?.Nonce, block.Nonce);
    }

    private static GpuTier Open() =>
        GpuDevices.TryOpen(CpuAccelerator.Options, out var error) ?? throw new InvalidOperationException(error);
}
