using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>Following course peers that serve slowly, one request at a time, or stall (issue #14, item 4).</summary>
public sealed class AwkwardPeerSyncTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);
    private static readonly PeerAddress Server = new("127.0.0.11", 8001);

    private static void Join(TestNetwork net, NodeCore node, PeerAddress peer) =>
        net.Send(peer, node.Self, new GossipReply(peer.Host, peer.Port, peer.ToString()));

    /// <summary>Runs in small steps until <paramref name="done"/> holds (checked after each step); false when <paramref name="limit"/> passed first.</summary>
    private static bool RunUntil(TestNetwork net, Func<bool> done, TimeSpan limit)
    {
        for (var t = TimeSpan.Zero; t < limit; t += TimeSpan.FromMilliseconds(5))
        {
            net.Run(TimeSpan.FromMilliseconds(5));
            if (done())
            {
                return true;
            }
        }

        return false;
    }

    private static bool GaveUp(TestNetwork net) => net.Log.Lines.Any(l => l.Contains("gave up", StringComparison.Ordinal));

    private static List<long> HeightsAsked(TestNetwork net, int from) =>
        [.. net.Delivered.Skip(from).Where(d => d.Message is GetBlock { Height: not null }).Select(d => ((GetBlock)d.Message!).Height!.Value)];

    [Fact]
    public void Window_shrinks_to_one_request_on_losses_and_grows_back_on_replies()
    {
        var chain = TestBlocks.Chain(3000);
        var net = new TestNetwork();
        var node = net.AddNode(Me, [], limits: new SyncLimits { InitialPerPeer = 8, MaxPerPeer = 16 });
        var silent = false;
        net.AddFickle(Server, chain, _ => !silent);
        node.Start();
        Join(net, node, Server);
        Assert.True(RunUntil(net, () => node.Download?.VerifiedHeight >= 200, TimeSpan.FromSeconds(10)), net.Log.ToString());
        var peer = node.Download!.Peers.Single();
        Assert.Equal(16, peer.Capacity);

        silent = true;
        var smallest = peer.Capacity;
        Assert.True(RunUntil(net, () => (smallest = Math.Min(smallest, peer.Capacity)) == 1, TimeSpan.FromSeconds(10)), $"the window only shrank to {smallest}");

        silent = false;
        var largest = peer.Capacity;
        Assert.True(RunUntil(net, () => (largest = Math.Max(largest, peer.Capacity)) == 16 && node.Chain.Count == 3000, TimeSpan.FromSeconds(20)), net.Log.ToString());
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.False(GaveUp(net));
    }

    [Fact]
    public void Peer_that_reads_one_datagram_per_socket_is_synced_fully()
    {
        var chain = TestBlocks.Chain(500);
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        net.AddOnePerSocket(Server, chain, reopen: TimeSpan.FromMilliseconds(0.2));
        node.Start();
        Join(net, node, Server);
        Assert.True(RunUntil(net, () => node.Chain.Count == 500, TimeSpan.FromSeconds(60)), net.Log.ToString());
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.False(GaveUp(net), net.Log.ToString());
    }

    [Fact]
    public void Peer_that_keeps_delivering_slowly_is_followed_past_the_give_up_time()
    {
        // One block every 2 s, never the next one to verify: the verified tip stands still for 40 s.
        var chain = TestBlocks.Chain(60);
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        var readyAt = DateTimeOffset.MinValue;
        var released = false;
        net.AddScripted(Server, (_, m) =>
        {
            var now = net.Clock.GetUtcNow();
            if (m is Stats)
            {
                return [new StatsReply(chain.Count, chain[^1].Hash)];
            }

            if (m is not GetBlock { Height: { } h and >= 0 and < 60 } || (!released && (h == 0 || now < readyAt)))
            {
                return [];
            }

            readyAt = now + TimeSpan.FromSeconds(2);
            return [new GetBlockReply(chain[(int)h])];
        });
        node.Start();
        Join(net, node, Server);
        Assert.True(RunUntil(net, () => node.Download is not null, TimeSpan.FromSeconds(5)));
        var download = node.Download;
        net.Run(TimeSpan.FromSeconds(40));
        Assert.Same(download, node.Download);
        Assert.Equal(0, node.Chain.Count);
        Assert.True(download!.Delivered >= 3, $"{download.Delivered} blocks delivered");

        released = true;
        Assert.True(RunUntil(net, () => node.Chain.Count == 60, TimeSpan.FromSeconds(20)), net.Log.ToString());
        Assert.False(GaveUp(net));
    }

    [Fact]
    public void Stalled_sole_holder_is_retried_soon_and_the_blocks_it_delivered_are_kept()
    {
        var chain = TestBlocks.Chain(300);
        var net = new TestNetwork();
        var node = net.AddNode(Me, []);
        var healed = false;
        net.AddFickle(Server, chain, h => h < 150 || healed);
        node.Start();
        Join(net, node, Server);
        Assert.True(RunUntil(net, () => GaveUp(net), TimeSpan.FromSeconds(60)), net.Log.ToString());
        Assert.Null(node.Download);
        Assert.Equal(150, node.Chain.Count);
        Assert.Equal(chain[149].Hash, node.Chain.TopHash);

        healed = true;
        var mark = net.Delivered.Count;
        Assert.True(RunUntil(net, () => node.Chain.Count == 300, TimeSpan.FromSeconds(5)), net.Log.ToString());
        Assert.Equal(chain[^1].Hash, node.Chain.TopHash);
        Assert.DoesNotContain(HeightsAsked(net, mark), h => h < 149);
    }

    [Fact]
    public void Stalled_reorg_branch_is_resumed_from_its_verified_blocks()
    {
        var common = TestBlocks.Chain(100);
        var ours = TestBlocks.Extend(common, 150, "ours");
        var theirs = TestBlocks.Extend(common, 300, "theirs");
        var net = new TestNetwork();
        var node = net.AddNode(Me, ours);
        var healed = false;
        // A hole above height 200 (below the fork search's probes): the branch verifies up to 199, then stalls.
        net.AddFickle(Server, theirs, h => h is < 200 or >= 218 || healed);
        node.Start();
        Join(net, node, Server);
        Assert.True(RunUntil(net, () => GaveUp(net), TimeSpan.FromSeconds(60)), net.Log.ToString());
        Assert.Equal(ours[^1].Hash, node.Chain.TopHash);
        Assert.True(net.Log.Lines.Any(l => l.Contains("kept the 100 verified blocks from fork height 100", StringComparison.Ordinal)), net.Log.ToString());

        healed = true;
        var mark = net.Delivered.Count;
        Assert.True(RunUntil(net, () => node.Chain.TopHash == theirs[^1].Hash, TimeSpan.FromSeconds(5)), net.Log.ToString());
        Assert.Equal(400, node.Chain.Count);
        var asked = HeightsAsked(net, mark);
        Assert.DoesNotContain(asked, h => h < 199);
        Assert.Equal(200, asked.Distinct().Count(h => h >= 200));
        Assert.Equal(100, node.LastSync?.ForkHeight);
    }
}
