using System.Globalization;
using System.Net;
using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Hosting.Mining;
using Aviary.Mining;
using Aviary.Mining.Remote;

using Microsoft.Extensions.Logging.Abstractions;

using static Aviary.Node.Tests.Mining.MiningFixtures;

namespace Aviary.Node.Tests.Mining;

/// <summary>Remote workers over loopback TCP mining for a node whose core runs on the fake clock.</summary>
public sealed class RemoteWorkerTests
{
    private const int Difficulty = 4;

    [Fact]
    public async Task A_remote_worker_mines_a_block_that_the_node_appends_and_announces()
    {
        var (net, node) = NodeWithPeers(new TestChain { Difficulty = Difficulty }.Mine(3), Difficulty);
        using var pump = new CorePump(net);
        var server = WorkerServer.Start(new IPEndPoint(IPAddress.Loopback, 0), new WorkerServerOptions(), NullLogger.Instance);
        await using var engine = new MiningHost(null, server, NullLogger.Instance);
        Coordinator(node, engine, post: pump.Post).Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var worker = new WorkerClient("127.0.0.1", server.LocalEndPoint.Port, "rig", new Miner(HashTiers.Best, 1), new WorkerClientOptions(), NullLogger.Instance);
        var working = worker.RunAsync(stop.Token);

        pump.RunUntil(() => node.Chain.Count == 4 && Announces(net).Count == Peers.Length);
        await stop.CancelAsync();
        await working;

        var block = node.Chain.Top!;
        Assert.True(BlockValidator.Validate(block, node.Chain[2]!.Hash, 3, Difficulty).IsValid);
        Assert.All(Announces(net), a => Assert.Equal(block, a.Block));
        Assert.True(Counter(block) >= CounterRanges.LocalEnd, "the node has no threads of its own: the worker's slot found it");
        var status = node.Snapshot().Miner!;
        Assert.Equal(1, status.BlocksMined);
        Assert.Equal(0, status.Threads);
    }

    [Fact]
    public async Task A_worker_that_forges_a_solution_is_dropped_and_the_node_keeps_mining_with_the_others()
    {
        var (net, node) = NodeWithPeers(new TestChain { Difficulty = Difficulty }.Mine(3), Difficulty);
        using var pump = new CorePump(net);
        var server = WorkerServer.Start(new IPEndPoint(IPAddress.Loopback, 0), new WorkerServerOptions(), NullLogger.Instance);
        await using var engine = new MiningHost(null, server, NullLogger.Instance);
        Coordinator(node, engine, post: pump.Post).Start();

        using (var forger = new TcpClient())
        {
            await forger.ConnectAsync(server.LocalEndPoint, TestContext.Current.CancellationToken);
            var stream = forger.GetStream();
            var lines = new LineReader(stream, WorkerLine.MaxNodeLine);
            await stream.WriteAsync(WorkerLine.Encode(new WorkerHello("forger", 1, "none")), TestContext.Current.CancellationToken);
            var (_, jobLine) = await lines.ReadAsync(TestContext.Current.CancellationToken);
            Assert.True(WorkerLine.TryDecode(jobLine, out var message, out _));
            var job = Assert.IsType<WorkerJob>(message);
            await stream.WriteAsync(WorkerLine.Encode(new WorkerSolution(job.Job, "0000000000000000000000000000000000000")), TestContext.Current.CancellationToken);

            (_, var bye) = await lines.ReadAsync(TestContext.Current.CancellationToken);
            Assert.True(WorkerLine.TryDecode(bye, out var last, out _));
            Assert.Contains("bad solution", Assert.IsType<WorkerBye>(last).Reason, StringComparison.Ordinal);
            Assert.Equal(LineStatus.End, (await lines.ReadAsync(TestContext.Current.CancellationToken)).Status);
        }

        Assert.Equal(3, node.Chain.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var honest = new WorkerClient("127.0.0.1", server.LocalEndPoint.Port, "honest", new Miner(HashTiers.Best, 1), new WorkerClientOptions(), NullLogger.Instance);
        var working = honest.RunAsync(stop.Token);

        pump.RunUntil(() => node.Chain.Count == 4 && Announces(net).Count == Peers.Length);
        await stop.CancelAsync();
        await working;

        Assert.Equal(1, node.Snapshot().Miner!.DroppedWorkers);
        Assert.Equal(0, node.Snapshot().Miner!.RejectedSolutions);
    }

    private static ulong Counter(Aviary.Protocol.Block block) =>
        ulong.Parse(block.Nonce[^NonceLayout.CounterDigits..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
