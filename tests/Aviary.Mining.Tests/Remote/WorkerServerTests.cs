using System.Net;

using Aviary.Chain;
using Aviary.Mining.Remote;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Mining.Tests.Remote;

/// <summary>The node's worker listener on loopback: jobs on disjoint slots, checked solutions, dropping bad workers.</summary>
public sealed class WorkerServerTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_worker_gets_the_job_on_its_own_slot()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        var job = new MiningJob(1, Templates.Simple(), 4);
        server.Publish(job);
        using var a = await Hello(server, "a");
        using var b = await Hello(server, "b");

        var jobA = Assert.IsType<WorkerJob>(await a.ReadAsync());
        var jobB = Assert.IsType<WorkerJob>(await b.ReadAsync());

        Assert.Equal(job.Template, jobA.Template);
        Assert.Equal(CounterRanges.SlotSize, jobA.Count);
        Assert.True(jobA.Start >= CounterRanges.LocalEnd && jobB.Start >= CounterRanges.LocalEnd);
        Assert.True(jobA.Start + jobA.Count <= jobB.Start || jobB.Start + jobB.Count <= jobA.Start, "slots overlap");
        Assert.Equal(["a", "b"], server.Workers().Select(w => w.Name).Order());
    }

    [Fact]
    public async Task A_new_job_cancels_the_old_one_first()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        server.Publish(new MiningJob(1, Templates.Simple(height: 1), 4));
        using var worker = await Hello(server, "w");
        Assert.Equal(1, Assert.IsType<WorkerJob>(await worker.ReadAsync()).Job);

        server.Publish(new MiningJob(2, Templates.Simple(height: 2), 4));
        Assert.Equal(1, Assert.IsType<WorkerCancel>(await worker.ReadAsync()).Job);
        Assert.Equal(2, Assert.IsType<WorkerJob>(await worker.ReadAsync()).Job);

        server.Publish(null);
        Assert.Equal(2, Assert.IsType<WorkerCancel>(await worker.ReadAsync()).Job);
    }

    [Fact]
    public async Task A_valid_solution_of_the_current_job_is_passed_on()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        var found = new TaskCompletionSource<Block>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Found += (_, block) => found.TrySetResult(block);
        var template = Templates.Simple(height: 40);
        server.Publish(new MiningJob(9, template, 3));
        using var worker = await Hello(server, "w");
        var job = Assert.IsType<WorkerJob>(await worker.ReadAsync());
        var solved = HashTiers.Best.Search(job.Template, job.Start, job.Count, job.Difficulty, TestContext.Current.CancellationToken)!;

        await worker.SendAsync(new WorkerSolution(9, solved.Nonce));

        var block = await found.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        Assert.Equal(solved, block);
        Assert.True(BlockValidator.Validate(block, template.PreviousHash, 40, 3).IsValid);
        Assert.Equal(1, server.Solutions);
        Assert.Equal(0, server.DroppedWorkers);
    }

    [Fact]
    public async Task A_forged_solution_gets_the_worker_dropped_and_passes_nothing_on()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        var found = 0;
        server.Found += (_, _) => Interlocked.Increment(ref found);
        server.Publish(new MiningJob(1, Templates.Simple(), 6));
        using var forger = await Hello(server, "forger");
        Assert.IsType<WorkerJob>(await forger.ReadAsync());

        await forger.SendAsync(new WorkerSolution(1, "12345"));

        Assert.Contains("bad solution", await forger.ReadUntilClosedAsync(), StringComparison.Ordinal);
        Assert.Equal(1, server.DroppedWorkers);
        Assert.Equal(0, Volatile.Read(ref found));
    }

    [Theory]
    [InlineData("{\"type\":\"hello\"\n", "malformed")]
    [InlineData("{\"type\":\"stats\",\"attemptsPerSecond\":1}\n", "before hello")]
    [InlineData("{\"type\":\"cancel\",\"job\":1}\n", "before hello")]
    public async Task Malformed_or_out_of_order_lines_get_the_worker_dropped(string line, string reason)
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        using var worker = await RawWorker.ConnectAsync(server.LocalEndPoint);
        await worker.SendRawAsync(line);
        Assert.Contains(reason, await worker.ReadUntilClosedAsync(), StringComparison.Ordinal);
        Assert.Equal(1, server.DroppedWorkers);
    }

    [Fact]
    public async Task A_line_over_the_cap_gets_the_worker_dropped()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        using var worker = await Hello(server, "w");
        await worker.SendRawAsync(new string(' ', WorkerLine.MaxWorkerLine + 1));
        Assert.Contains("over 1024 bytes", await worker.ReadUntilClosedAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_solution_for_a_job_never_sent_gets_the_worker_dropped_but_a_late_one_does_not()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions(), NullLogger.Instance);
        var old = new MiningJob(1, Templates.Simple(height: 3), 3);
        server.Publish(old);
        using var worker = await Hello(server, "w");
        var job = Assert.IsType<WorkerJob>(await worker.ReadAsync());
        var lateSolution = HashTiers.Best.Search(job.Template, job.Start, job.Count, 3, TestContext.Current.CancellationToken)!;
        server.Publish(new MiningJob(2, Templates.Simple(height: 4), 3));
        Assert.IsType<WorkerCancel>(await worker.ReadAsync());
        Assert.IsType<WorkerJob>(await worker.ReadAsync());

        // A valid solution of the replaced job is late, not forged; the next line is only read because it was kept.
        await worker.SendAsync(new WorkerSolution(1, lateSolution.Nonce));
        await worker.SendAsync(new WorkerSolution(5, "0"));
        Assert.Contains("never sent", await worker.ReadUntilClosedAsync(), StringComparison.Ordinal);
        Assert.Equal(1, server.StaleSolutions);
        Assert.Equal(1, server.DroppedWorkers);
    }

    [Fact]
    public async Task Connections_past_the_cap_are_refused()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions { MaxWorkers = 2 }, NullLogger.Instance);
        server.Publish(new MiningJob(1, Templates.Simple(), 4));
        using var a = await Hello(server, "a");
        using var b = await Hello(server, "b");
        Assert.IsType<WorkerJob>(await a.ReadAsync());
        Assert.IsType<WorkerJob>(await b.ReadAsync());

        using var c = await RawWorker.ConnectAsync(server.LocalEndPoint);
        Assert.Contains("full", await c.ReadUntilClosedAsync(), StringComparison.Ordinal);
        Assert.Equal(2, server.Workers().Count);
    }

    [Fact]
    public async Task A_worker_that_stops_reading_is_dropped_and_publishing_never_waits_for_it()
    {
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions { MaxQueuedLines = 2 }, NullLogger.Instance);
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Dropped += (_, why) => reason.TrySetResult(why);
        using var deaf = await Hello(server, "deaf");
        await WaitFor(() => server.Workers().Any(w => w.Name == "deaf"));

        // Jobs pile up in the socket buffers, then in the two-line queue; the next one finds it full.
        for (var id = 1L; !reason.Task.IsCompleted; id++)
        {
            Assert.True(id < 10_000_000, "the queue never filled");
            server.Publish(new MiningJob(id, Templates.Simple(), 8));
        }

        Assert.Contains("not reading", await reason.Task, StringComparison.Ordinal);
        await WaitFor(() => server.Workers().Count == 0);
    }

    [Fact]
    public async Task A_silent_worker_is_dropped_after_the_idle_timeout()
    {
        var time = new FakeTimeProvider();
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions { Time = time }, NullLogger.Instance);
        server.Publish(new MiningJob(1, Templates.Simple(), 4));
        using var quiet = await Hello(server, "quiet");
        Assert.IsType<WorkerJob>(await quiet.ReadAsync());

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(server.Workers());
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Contains("silent", await quiet.ReadUntilClosedAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_that_never_says_hello_is_dropped_sooner()
    {
        var time = new FakeTimeProvider();
        await using var server = WorkerServer.Start(Loopback, new WorkerServerOptions { Time = time }, NullLogger.Instance);
        using var mute = await RawWorker.ConnectAsync(server.LocalEndPoint);
        await WaitFor(() => server.Workers().Count == 1);

        time.Advance(TimeSpan.FromSeconds(15));

        Assert.Contains("silent", await mute.ReadUntilClosedAsync(), StringComparison.Ordinal);
    }

    private static async Task<RawWorker> Hello(WorkerServer server, string name)
    {
        var worker = await RawWorker.ConnectAsync(server.LocalEndPoint);
        await worker.SendAsync(new WorkerHello(name, 1, "test"));
        return worker;
    }

    /// <summary>Waits (bounded, without sleeping a fixed time) for a condition another thread makes true.</summary>
    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
