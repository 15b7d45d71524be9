using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining.Tests;

/// <summary>The one-job-at-a-time runner the node and the remote worker both mine with.</summary>
public sealed class JobRunnerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_job_is_mined_on_its_range_and_reported_once()
    {
        await using var runner = new JobRunner(new Miner(HashTiers.Best, 1));
        var found = new TaskCompletionSource<(MiningJob, Block)>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Found += (job, block) => found.TrySetResult((job, block));
        var template = Templates.Simple(height: 21);
        var start = CounterRanges.SlotStart(1);

        runner.Run(new MiningJob(1, template, 3), start, start + CounterRanges.SlotSize);
        var (solved, solution) = await found.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(1, solved.Id);
        Assert.True(BlockValidator.Validate(solution, template.PreviousHash, 21, 3).IsValid);
        Assert.Equal(NonceLayout.For(template).NonceFor(Templates.ReferenceFirst(NonceLayout.For(template), start, 3)), solution.Nonce);
    }

    [Fact]
    public async Task A_new_job_replaces_the_running_one()
    {
        await using var runner = new JobRunner(new Miner(HashTiers.Best, 1));
        var started = new List<long>();
        var found = new TaskCompletionSource<MiningJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Started += job =>
        {
            lock (started)
            {
                started.Add(job.Id);
            }

            firstStarted.TrySetResult();
        };
        runner.Found += (job, _) => found.TrySetResult(job);

        // Job 1 can never be solved (64 zeros); job 2 is solved at once.
        runner.Run(new MiningJob(1, Templates.Simple(height: 30), 64), 0, CounterRanges.LocalEnd);
        await firstStarted.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        runner.Run(new MiningJob(2, Templates.Simple(height: 31), 2), 0, CounterRanges.LocalEnd);

        Assert.Equal(2, (await found.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken)).Id);
        lock (started)
        {
            Assert.Equal([1L, 2L], started);
        }
    }

    [Fact]
    public async Task A_template_the_layout_refuses_is_reported_and_the_runner_goes_on()
    {
        await using var runner = new JobRunner(new Miner(HashTiers.Best, 1));
        var faulted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var found = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Faulted += (job, _) => faulted.TrySetResult(job.Id);
        runner.Found += (job, _) => found.TrySetResult(job.Id);

        runner.Run(new MiningJob(1, Templates.Simple() with { Messages = [] }, 2), 0, CounterRanges.LocalEnd);
        Assert.Equal(1, await faulted.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken));
        runner.Run(new MiningJob(2, Templates.Simple(), 2), 0, CounterRanges.LocalEnd);
        Assert.Equal(2, await found.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_search_that_fails_midway_is_reported_and_does_not_throw_at_shutdown()
    {
        var runner = new JobRunner(new Miner(new FailingTier(), 1));
        var faulted = new TaskCompletionSource<(MiningJob, Exception)>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Faulted += (job, e) => faulted.TrySetResult((job, e));

        runner.Run(new MiningJob(7, Templates.Simple(height: 5), 3), 0, CounterRanges.LocalEnd);
        var (job, error) = await faulted.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(7, job.Id);
        Assert.Equal("the device was lost", error.Message);
        await runner.DisposeAsync();
    }

    /// <summary>A tier whose device fails on the first search (a GPU lost mid-job).</summary>
    private sealed class FailingTier : IHashTier
    {
        public string Name => "failing";

        public int Lanes => 1;

        public string Requirement => "nothing";

        public bool IsSupported => true;

        public Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the device was lost");
    }
}
