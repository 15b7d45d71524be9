using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

using Aviary.Chain;
using Aviary.Hosting.Mining;
using Aviary.Mining;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

using static Aviary.Node.Tests.Mining.MiningFixtures;

namespace Aviary.Node.Tests.Mining;

/// <summary>
/// The real miner threads behind the coordinator, at difficulties that take a few thousand hashes. The
/// network and the core stay on the fake clock; only the miner runs on threads, and its results wait in
/// a <see cref="CorePump"/> until the test hands them to the core.
/// </summary>
public sealed class RealMinerTests
{
    private const int Difficulty = 3;

    [Fact]
    public async Task A_block_mined_by_the_real_miner_is_appended_and_announced_to_every_tracked_peer()
    {
        var (net, node) = NodeWithPeers(new TestChain { Difficulty = Difficulty }.Mine(4), Difficulty);
        using var pump = new CorePump(net);
        await using var engine = new MiningHost(new Miner(HashTiers.Best, 1), null, NullLogger.Instance);
        Coordinator(node, engine, post: pump.Post).Start();

        pump.RunUntil(() => node.Chain.Count == 5 && Announces(net).Count == Peers.Length);

        var block = node.Chain.Top!;
        Assert.Equal("me", block.MinedBy);
        Assert.True(BlockValidator.Validate(block, node.Chain[3]!.Hash, 4, Difficulty).IsValid);
        Assert.All(Announces(net), a => Assert.Equal(block, a.Block));
        Assert.Equal(Peers.Select(p => p.ToString()).Order(), Announces(net).Select(a => a.To.ToString()).Order());
    }

    [Fact]
    public async Task New_words_end_up_in_the_next_mined_block()
    {
        var (net, node) = NodeWithPeers(new TestChain { Difficulty = Difficulty }.Mine(2), Difficulty);
        using var pump = new CorePump(net);
        await using var engine = new MiningHost(new Miner(HashTiers.Best, 1), null, NullLogger.Instance);
        Coordinator(node, engine, new MiningOptions { WordRefreshDelay = TimeSpan.FromSeconds(1) }, pump.Post).Start();
        var peer = new PeerAddress("127.0.0.50", 8050);
        net.AddScripted(peer, (_, _) => []);
        net.Send(peer, Me, new NewWord("ramifies"));
        net.Send(peer, Me, new NewWord("boxers"));

        // The words arrive and the template is rebuilt with them before any result of the first job is handled.
        net.Run(TimeSpan.FromSeconds(1));
        pump.RunUntil(() => node.Chain.Count == 3);

        Assert.Equal(["ramifies", "boxers"], node.Chain.Top!.Messages);
        Assert.Equal(0, node.Words.Count);
    }

    [Fact]
    public async Task Each_tip_change_moves_the_real_miner_to_the_new_tip()
    {
        const int Changes = 6;
        var chain = new TestChain { Difficulty = Difficulty, MinedBy = "rival" }.Mine(3 + Changes);
        var (net, node) = NodeWithPeers(chain[..3], Difficulty);
        using var pump = new CorePump(net);
        await using var engine = new MiningHost(new Miner(HashTiers.Best, 1), null, NullLogger.Instance);
        var clock = Stopwatch.StartNew();
        var startedOn = new ConcurrentDictionary<string, TaskCompletionSource<TimeSpan>>();
        engine.Started += job => startedOn.GetOrAdd(job.Template.PreviousHash ?? "", _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(clock.Elapsed);
        var coordinator = Coordinator(node, engine, post: pump.Post);
        coordinator.Start();

        // Rival blocks arrive one by one; results of our jobs wait in the pump and turn out stale.
        var reactions = new List<double>();
        for (var h = 3; h < chain.Count; h++)
        {
            net.Send(new PeerAddress("127.0.0.51", 8051), Me, new Announce(chain[h]));
            var changedAt = clock.Elapsed;
            net.Run(TimeSpan.FromMilliseconds(1));
            Assert.Equal(chain[h], node.Chain.Top);
            var started = startedOn.GetOrAdd(chain[h].Hash, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            var startedAt = await started.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            reactions.Add((startedAt - changedAt).TotalMilliseconds);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"from an ANNOUNCE being handled to miner threads on the new tip (ms): first {reactions[0]:0.0}, then {string.Join(", ", reactions.Skip(1).Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}");
        pump.RunUntil(() => node.Chain.Count == chain.Count + 1);
        Assert.Equal(chain[^1], node.Chain[chain.Count - 1]);
        Assert.Equal("me", node.Chain.Top!.MinedBy);
        Assert.Equal(1, coordinator.BlocksMined);
    }

    [Fact]
    public async Task A_genesis_mined_at_difficulty_4_validates_and_starts_the_chain()
    {
        var net = new TestNetwork();
        var node = net.AddNode(Me, [], new NodeOptions { Name = "devnet", AdvertisedHost = Me.Host, Port = Me.Port, Difficulty = 4, Id = "me" });
        using var pump = new CorePump(net);
        await using var engine = new MiningHost(new Miner(HashTiers.Best, 1), null, NullLogger.Instance);
        var coordinator = Coordinator(node, engine, new MiningOptions { MineBlocks = false, GenesisMessages = ["Keep it", "simple."] }, pump.Post);
        coordinator.Start();

        pump.RunUntil(() => node.Chain.Count == 1);

        var genesis = node.Chain[0]!;
        var verdict = BlockValidator.ValidateGenesis(genesis, 4);
        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(["Keep it", "simple."], genesis.Messages);
        Assert.Equal("devnet", genesis.MinedBy);
        Assert.Null(coordinator.Job);
    }
}
