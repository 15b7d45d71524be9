using System.Globalization;
using System.Net;
using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Mining.Remote;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Mining.Tests.Remote;

/// <summary>The remote worker (<c>aviary mine --connect</c>) against a node's listener on loopback.</summary>
public sealed class WorkerClientTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_mines_the_nodes_job_on_its_own_slot()
    {
        await using var server = WorkerServer.Start(new IPEndPoint(IPAddress.Loopback, 0), new WorkerServerOptions(), NullLogger.Instance);
        var found = new TaskCompletionSource<Block>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Found += (_, block) => found.TrySetResult(block);
        var template = Templates.Simple(height: 77);
        server.Publish(new MiningJob(1, template, 4));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var client = new WorkerClient("127.0.0.1", server.LocalEndPoint.Port, "rig", new Miner(HashTiers.Best, 1), new WorkerClientOptions(), NullLogger.Instance);
        var running = client.RunAsync(stop.Token);

        var block = await found.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await running;

        Assert.True(BlockValidator.Validate(block, template.PreviousHash, 77, 4).IsValid);
        var counter = ulong.Parse(block.Nonce[^NonceLayout.CounterDigits..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(counter, CounterRanges.SlotStart(0), CounterRanges.SlotStart(0) + CounterRanges.SlotSize - 1);
        Assert.Equal(1, client.SolutionsSent);
    }

    [Fact]
    public async Task A_worker_cut_off_by_the_node_reconnects_after_its_backoff()
    {
        var time = new FakeTimeProvider();
        using var node = new TcpListener(IPAddress.Loopback, 0);
        node.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var client = new WorkerClient("127.0.0.1", ((IPEndPoint)node.LocalEndpoint).Port, "rig", new Miner(HashTiers.Best, 1), new WorkerClientOptions { Time = time }, NullLogger.Instance);
        var running = client.RunAsync(stop.Token);

        using (var first = await node.AcceptTcpClientAsync(TestContext.Current.CancellationToken))
        {
            var hello = await new LineReader(first.GetStream(), WorkerLine.MaxWorkerLine).ReadAsync(TestContext.Current.CancellationToken);
            Assert.Equal(LineStatus.Line, hello.Status);
        }

        // Nothing reconnects until the fake clock passes the backoff; step it until the second connection arrives.
        var second = node.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask();
        var deadline = DateTime.UtcNow + Deadline;
        while (!second.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker did not reconnect");
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(second, Task.Delay(10, TestContext.Current.CancellationToken));
        }

        using (var again = await second)
        {
            Assert.True(WorkerLine.TryDecode((await new LineReader(again.GetStream(), WorkerLine.MaxWorkerLine).ReadAsync(TestContext.Current.CancellationToken)).Line, out var message, out _));
            Assert.Equal("rig", Assert.IsType<WorkerHello>(message).Name);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(2, client.Connections);
    }
}
