using System.Collections.Concurrent;

using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Mining;

/// <summary>Chains at a chosen difficulty, solved jobs, and a node with recording peers for the mining tests.</summary>
internal static class MiningFixtures
{
    public static readonly PeerAddress Me = new("127.0.0.1", 9000);

    public static readonly PeerAddress[] Peers = [new("127.0.0.31", 8031), new("127.0.0.32", 8032), new("127.0.0.33", 8033)];

    /// <summary>A block that solves <paramref name="job"/> by plain hashing (a few hashes at the test difficulties).</summary>
    public static Block Solve(MiningJob job) =>
        TestChain.MineBlock(job.Template.Height, job.Template.PreviousHash, job.Template.MinedBy, job.Template.Messages, job.Template.Timestamp, job.Difficulty);

    /// <summary>A node at <see cref="Me"/> tracking three scripted peers that record what they receive.</summary>
    public static (TestNetwork Net, NodeCore Node) NodeWithPeers(IReadOnlyList<Block> chain, int difficulty)
    {
        var net = new TestNetwork();
        // The peers are trusted, as proven peers would be: this fixture is about mining, not the amplification guard.
        var node = net.AddNode(Me, chain, new NodeOptions { Name = "me", AdvertisedHost = Me.Host, Port = Me.Port, Difficulty = difficulty, Id = "me", Trusted = Peers });
        foreach (var peer in Peers)
        {
            net.AddScripted(peer, (_, _) => []);
            net.Send(peer, Me, new GossipReply(peer.Host, peer.Port, $"peer {peer.Port}"));
        }

        net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(Peers.Length, node.Peers.Count);
        return (net, node);
    }

    /// <summary>ANNOUNCEs the node sent, per recipient.</summary>
    public static List<(PeerAddress To, Block Block)> Announces(TestNetwork net) =>
        [.. net.Delivered.Where(d => d.From == Me && d.Message is Announce).Select(d => (d.To, ((Announce)d.Message!).Block))];

    public static MiningCoordinator Coordinator(NodeCore node, IMiningEngine engine, MiningOptions? options = null, Action<Action>? post = null) =>
        new(node, engine, options ?? new MiningOptions(), post ?? (work => work()), NullLogger.Instance);
}

/// <summary>An engine that mines nothing by itself: it records jobs, and a test solves them on demand.</summary>
internal sealed class FakeEngine(TimeProvider time) : IMiningEngine
{
    public event Action<MiningJob, Block>? Found;

    public List<(MiningJob Job, DateTimeOffset At)> Started { get; } = [];

    public int Stops { get; private set; }

    public MiningJob? Current { get; private set; }

    public void Start(MiningJob job)
    {
        Started.Add((job, time.GetUtcNow()));
        Current = job;
    }

    public void Stop()
    {
        Stops++;
        Current = null;
    }

    public EngineStatus Status() => new(4, "fake", 1234, [], 0, []);

    /// <summary>Reports a solution of the current job, as a miner thread would.</summary>
    public Block Solve()
    {
        var job = Current ?? throw new InvalidOperationException("no job to solve");
        var block = MiningFixtures.Solve(job);
        Found?.Invoke(job, block);
        return block;
    }

    public void Report(MiningJob job, Block block) => Found?.Invoke(job, block);
}

/// <summary>
/// The core thread of a test: work posted by miner threads waits here until the test runs it, between
/// steps of the fake-clock network, so the core stays single-threaded.
/// </summary>
internal sealed class CorePump(TestNetwork net) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly BlockingCollection<Action> posted = [];

    public void Post(Action work) => posted.Add(work);

    /// <summary>Runs posted work and the network (10 ms of fake time per step) until <paramref name="done"/> holds.</summary>
    public void RunUntil(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the miner did not get there in time");
            if (posted.TryTake(out var work, TimeSpan.FromMilliseconds(50)))
            {
                work();
            }

            net.Run(TimeSpan.FromMilliseconds(10));
        }
    }

    public void Dispose() => posted.Dispose();
}
