using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Node.Mining;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

using static Aviary.Node.Tests.Mining.MiningFixtures;

namespace Aviary.Node.Tests.Mining;

/// <summary>The miner's core-thread logic with a fake engine on the fake clock: no threads, no hashing rates.</summary>
public sealed class MiningCoordinatorTests
{
    private static readonly PeerAddress Other = new("127.0.0.40", 8040);

    [Fact]
    public void Mines_on_our_tip_under_our_name_with_the_default_message_when_no_word_waits()
    {
        var chain = TestBlocks.Chain(5);
        var (net, node) = NodeWithPeers(chain, TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        Coordinator(node, engine).Start();

        var job = Assert.Single(engine.Started).Job;
        Assert.Equal(chain[^1].Hash, job.Template.PreviousHash);
        Assert.Equal(5, job.Template.Height);
        Assert.Equal("me", job.Template.MinedBy);
        Assert.Equal([MiningOptions.DefaultMessageText], job.Template.Messages);
        Assert.Equal(net.Clock.GetUtcNow().ToUnixTimeSeconds(), job.Template.Timestamp);
        Assert.Equal(TestBlocks.Difficulty, job.Difficulty);
    }

    [Fact]
    public void A_found_block_is_appended_then_announced_to_every_tracked_peer()
    {
        var (net, node) = NodeWithPeers(TestBlocks.Chain(5), TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine);
        coordinator.Start();

        var block = engine.Solve();
        net.Run(TimeSpan.FromMilliseconds(5));

        Assert.Equal(block, node.Chain.Top);
        var announces = Announces(net);
        Assert.Equal(Peers.Select(p => p.ToString()).Order(), announces.Select(a => a.To.ToString()).Order());
        Assert.All(announces, a => Assert.Equal(block, a.Block));
        Assert.Equal(1, coordinator.BlocksMined);
        Assert.Equal(6, engine.Started[^1].Job.Template.Height);
    }

    [Fact]
    public void The_announce_leaves_only_once_the_block_is_in_our_chain()
    {
        var chain = TestBlocks.Chain(3);
        var transport = new OrderCheckingTransport();
        var options = new NodeOptions { Name = "me", AdvertisedHost = Me.Host, Port = Me.Port, Difficulty = TestBlocks.Difficulty, Id = "me", Trusted = Peers };
        var store = new InMemoryChainStore();
        store.Append(chain);
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var node = new NodeCore(options, new LocalChain(store, options.Difficulty), transport, clock, NullLogger.Instance, new Random(1));
        transport.Node = node;
        node.OnDatagram(Peers[0], MessageEncoder.Encode(new GossipReply(Peers[0].Host, Peers[0].Port, "p")));
        var engine = new FakeEngine(clock);
        Coordinator(node, engine).Start();

        var block = engine.Solve();

        Assert.Equal([(Peers[0], block.Hash, true)], transport.Announces);
        Assert.Equal(0, node.AnnounceBlock(TestBlocks.Extend(chain, 1, "not ours")[^1]));
    }

    [Fact]
    public void A_block_takes_at_most_ten_queued_words_and_the_rest_go_into_the_next()
    {
        var (net, node) = NodeWithPeers(TestBlocks.Chain(2), TestBlocks.Difficulty);
        for (var i = 0; i < 12; i++)
        {
            net.Send(Other, Me, new NewWord($"word{i}"));
        }

        net.Run(TimeSpan.FromMilliseconds(5));
        var engine = new FakeEngine(net.Clock);
        Coordinator(node, engine).Start();

        var first = engine.Solve();
        var second = engine.Solve();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"word{i}"), first.Messages);
        Assert.Equal(["word10", "word11"], second.Messages);
        Assert.Equal(4, node.Chain.Count);
        Assert.Equal(0, node.Words.Count);

        // Mined words are done with: the same word may be queued again.
        net.Send(Other, Me, new NewWord("word0"));
        net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(["word0"], node.Words.Words);
    }

    [Fact]
    public void A_tip_change_restarts_on_the_new_tip_at_once_with_the_words_put_back()
    {
        var chain = TestBlocks.Chain(6);
        var (net, node) = NodeWithPeers(chain[..5], TestBlocks.Difficulty);
        net.Send(Other, Me, new NewWord("boxers"));
        net.Send(Other, Me, new NewWord("marzipan's"));
        net.Run(TimeSpan.FromMilliseconds(5));
        var engine = new FakeEngine(net.Clock);
        Coordinator(node, engine).Start();
        var before = engine.Started[^1].Job;
        Assert.Equal(["boxers", "marzipan's"], before.Template.Messages);
        Assert.Equal(0, node.Words.Count);

        net.Send(Other, Me, new Announce(chain[5]));
        net.Run(TimeSpan.FromMilliseconds(1));
        var arrived = net.Clock.GetUtcNow();

        var (after, startedAt) = engine.Started[^1];
        Assert.Equal(2, engine.Started.Count);
        Assert.Equal(chain[5].Hash, after.Template.PreviousHash);
        Assert.Equal(6, after.Template.Height);
        Assert.Equal(["boxers", "marzipan's"], after.Template.Messages);
        Assert.True(after.Id > before.Id);

        // On the core's clock the restart takes no time at all: it happens while the ANNOUNCE is handled.
        Assert.Equal(arrived, startedAt);
        Assert.Empty(Announces(net));
    }

    [Fact]
    public void A_solution_for_a_replaced_job_is_ignored()
    {
        var chain = TestBlocks.Chain(6);
        var (net, node) = NodeWithPeers(chain[..5], TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine);
        coordinator.Start();
        var old = engine.Current!;
        net.Send(Other, Me, new Announce(chain[5]));
        net.Run(TimeSpan.FromMilliseconds(5));

        engine.Report(old, Solve(old));

        Assert.Equal(chain[5], node.Chain.Top);
        Assert.Equal(1, coordinator.StaleSolutions);
        Assert.Empty(Announces(net));
    }

    [Fact]
    public void An_invalid_solution_is_counted_and_the_job_goes_on()
    {
        var (net, node) = NodeWithPeers(TestBlocks.Chain(3), TestBlocks.Difficulty);
        net.Send(Other, Me, new NewWord("vici"));
        net.Run(TimeSpan.FromMilliseconds(5));
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine);
        coordinator.Start();
        var job = engine.Current!;
        var good = Solve(job);

        engine.Report(job, good with { Nonce = good.Nonce + "x" });
        engine.Report(job, good with { Messages = ["forged"] });

        Assert.Equal(2, coordinator.RejectedSolutions);
        Assert.Equal(3, node.Chain.Count);
        Assert.Same(job, coordinator.Job);
        Assert.Single(engine.Started);

        engine.Report(job, good);
        Assert.Equal(["vici"], node.Chain.Top!.Messages);
    }

    [Fact]
    public void Words_that_arrive_during_a_job_join_it_after_the_refresh_delay_not_on_every_word()
    {
        var (net, node) = NodeWithPeers(TestBlocks.Chain(3), TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        Coordinator(node, engine, new MiningOptions { WordRefreshDelay = TimeSpan.FromSeconds(1) }).Start();
        var started = net.Clock.GetUtcNow();

        for (var i = 0; i < 50; i++)
        {
            net.Send(Other, Me, new NewWord($"flood{i}"));
        }

        net.Run(TimeSpan.FromMilliseconds(500));
        Assert.Single(engine.Started);

        net.Run(TimeSpan.FromMilliseconds(500));
        var (job, at) = Assert.Single(engine.Started.Skip(1));
        Assert.Equal(started + TimeSpan.FromSeconds(1), at);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"flood{i}"), job.Template.Messages);

        // A full block has no room for more words: later arrivals wait for the next block.
        net.Send(Other, Me, new NewWord("later"));
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(2, engine.Started.Count);
    }

    [Fact]
    public void Genesis_is_mined_on_an_empty_chain_and_then_mining_goes_on()
    {
        var (net, node) = NodeWithPeers([], TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        Coordinator(node, engine, new MiningOptions { GenesisMessages = ["Keep it", "simple."] }).Start();
        var genesisJob = engine.Current!;
        Assert.Null(genesisJob.Template.PreviousHash);
        Assert.Equal(0, genesisJob.Template.Height);

        var genesis = engine.Solve();
        net.Run(TimeSpan.FromMilliseconds(5));

        Assert.True(BlockValidator.ValidateGenesis(genesis, TestBlocks.Difficulty).IsValid);
        Assert.Equal(genesis, node.Chain[0]);
        Assert.Equal(3, Announces(net).Count);
        Assert.Equal(genesis.Hash, engine.Current!.Template.PreviousHash);
    }

    [Fact]
    public void Genesis_only_mining_goes_idle_after_the_genesis()
    {
        var (net, node) = NodeWithPeers([], TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine, new MiningOptions { MineBlocks = false, GenesisMessages = ["devnet"] });
        coordinator.Start();

        engine.Solve();

        Assert.Equal(1, node.Chain.Count);
        Assert.Null(coordinator.Job);
        Assert.Null(engine.Current);
        Assert.Equal(1, engine.Stops);
        Assert.False(node.Snapshot().Miner!.Running);
    }

    [Fact]
    public void With_no_chain_and_no_genesis_the_miner_waits_for_a_chain()
    {
        var chain = TestBlocks.Chain(1);
        var (net, node) = NodeWithPeers([], TestBlocks.Difficulty);
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine);
        coordinator.Start();
        Assert.Empty(engine.Started);
        Assert.Null(coordinator.Job);

        Assert.True(node.Chain.TryAppend(chain[0]).IsValid);

        Assert.Equal(chain[0].Hash, Assert.Single(engine.Started).Job.Template.PreviousHash);
    }

    [Fact]
    public void Our_block_is_neither_appended_nor_announced_while_a_sync_runs_and_its_words_go_back()
    {
        var chain = TestBlocks.Chain(300);
        var net = new TestNetwork { Latency = TimeSpan.FromMilliseconds(100) };
        var node = net.AddNode(Me, []);
        var server = new PeerAddress("127.0.0.11", 8001);
        net.AddServer(server, chain);
        node.Start();
        net.Send(server, Me, new GossipReply(server.Host, server.Port, "server"));
        net.Send(Other, Me, new NewWord("patience"));
        net.Run(TimeSpan.FromSeconds(1));
        Assert.NotNull(node.Download);
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine, new MiningOptions { GenesisMessages = ["early"] });
        coordinator.Start();

        // The genesis job is solved while the sync runs: refused, nothing announced.
        engine.Solve();
        Assert.Equal(0, coordinator.BlocksMined);
        Assert.DoesNotContain(net.Delivered, d => d.From == Me && d.Message is Announce);

        net.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(300, node.Chain.Count);
        Assert.Equal(chain[^1].Hash, engine.Current!.Template.PreviousHash);
        Assert.Equal(["patience"], engine.Current.Template.Messages);
    }

    [Fact]
    public void The_status_has_a_miner_section_only_when_a_miner_is_attached()
    {
        var (net, node) = NodeWithPeers(TestBlocks.Chain(4, "alice"), TestBlocks.Difficulty);
        Assert.Null(node.Snapshot().Miner);
        net.Send(Other, Me, new NewWord("a word that is far too long"));
        net.Send(Other, Me, new NewWord("queued"));
        net.Run(TimeSpan.FromMilliseconds(5));
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine, new MiningOptions { WordRefreshDelay = TimeSpan.FromHours(1) });
        coordinator.Start();
        engine.Solve();
        net.Send(Other, Me, new NewWord("waiting"));
        net.Run(TimeSpan.FromMilliseconds(5));

        var miner = node.Snapshot().Miner!;
        Assert.True(miner.Running);
        Assert.Equal((4, "fake", 1234.0), (miner.Threads, miner.Tier, miner.AttemptsPerSecond));
        Assert.Equal(1, miner.QueuedWords);
        Assert.Equal(1, miner.WordRejections[WordRejection.TooLong]);
        Assert.Equal(5, miner.TemplateHeight);
        Assert.Equal(1, miner.BlocksMined);
        Assert.Equal(new Dictionary<string, long> { ["alice"] = 4, ["me"] = 1 }, miner.BlocksByMiner);
        Assert.Equal(0, miner.BlocksByOtherMiners);

        coordinator.Stop();
        Assert.Null(engine.Current);
        Assert.False(node.Snapshot().Miner!.Running);
    }

    [Fact]
    public void Stopping_puts_the_words_of_the_current_job_back()
    {
        var (net, node) = NodeWithPeers(TestBlocks.Chain(2), TestBlocks.Difficulty);
        net.Send(Other, Me, new NewWord("first"));
        net.Send(Other, Me, new NewWord("second"));
        net.Run(TimeSpan.FromMilliseconds(5));
        var engine = new FakeEngine(net.Clock);
        var coordinator = Coordinator(node, engine);
        coordinator.Start();
        Assert.Equal(0, node.Words.Count);

        coordinator.Stop();

        Assert.Equal(["first", "second"], node.Words.Words);
        Assert.Equal(1, engine.Stops);
    }

    /// <summary>Records, for every ANNOUNCE sent, whether the announced block was already our top at that moment.</summary>
    private sealed class OrderCheckingTransport : ITransport
    {
        public NodeCore? Node { get; set; }

        public List<(PeerAddress To, string Hash, bool InChain)> Announces { get; } = [];

        public void Send(PeerAddress to, ReadOnlySpan<byte> datagram)
        {
            if (MessageDecoder.Decode(datagram).Message is Announce a)
            {
                Announces.Add((to, a.Block.Hash, Node!.Chain[a.Block.Height]?.Hash == a.Block.Hash));
            }
        }
    }
}
