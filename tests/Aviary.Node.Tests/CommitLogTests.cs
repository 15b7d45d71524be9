using System.Globalization;
using System.Text.RegularExpressions;

using Aviary.Node.Core;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>The node logs each durable change of its chain once: per sync batch, per reorg, per appended block.</summary>
public sealed partial class CommitLogTests
{
    private static readonly PeerAddress Me = new("127.0.0.1", 9000);
    private static readonly PeerAddress Server = new("127.0.0.11", 8001);

    private static List<(long Height, string Top, string Line)> Commits(TestNetwork net) =>
        [.. net.Log.Lines.Select(l => (Line: l, Match: CommittedLine().Match(l))).Where(m => m.Match.Success)
            .Select(m => (long.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture), m.Match.Groups[2].Value, m.Line))];

    private static void Join(TestNetwork net, NodeCore node) => net.Send(Server, node.Self, new GossipReply(Server.Host, Server.Port, "server"));

    [Fact]
    public void A_sync_logs_one_line_per_committed_batch_ending_at_the_top()
    {
        var chain = TestBlocks.Chain(1000);
        var net = new TestNetwork();
        var node = net.AddNode(Me, [], limits: new SyncLimits { CommitBatch = 300 });
        net.AddServer(Server, chain);
        node.Start();
        Join(net, node);
        net.Run(TimeSpan.FromSeconds(10));

        Assert.Equal(1000, node.Chain.Count);
        var commits = Commits(net);
        Assert.InRange(commits.Count, 2, 4); // batches of at least 300 blocks, then the rest
        Assert.Equal(commits.Select(c => c.Height).Order(), commits.Select(c => c.Height));
        Assert.All(commits, c => Assert.Equal(chain[(int)c.Height - 1].Hash, c.Top));
        Assert.Equal((1000L, chain[^1].Hash), (commits[^1].Height, commits[^1].Top));
    }

    [Fact]
    public void Each_announced_block_is_one_line_and_a_reorg_says_where_it_replaced_from()
    {
        var common = TestBlocks.Chain(50);
        var ours = TestBlocks.Extend(common, 5, "ours");
        var theirs = TestBlocks.Extend(common, 8, "theirs");
        var net = new TestNetwork();
        var node = net.AddNode(Me, ours[..53]);
        node.Start();
        net.Send(Server, Me, new Announce(ours[53]));
        net.Send(Server, Me, new Announce(ours[54]));
        net.Run(TimeSpan.FromMilliseconds(100));
        Assert.Equal([(54L, ours[53].Hash), (55L, ours[54].Hash)], Commits(net).Select(c => (c.Height, c.Top)));

        net.AddServer(Server, theirs);
        Join(net, node);
        net.Run(TimeSpan.FromSeconds(10));

        Assert.Equal(theirs[^1].Hash, node.Chain.TopHash);
        var reorg = Commits(net)[^1];
        Assert.Equal((58L, theirs[^1].Hash), (reorg.Height, reorg.Top));
        Assert.Contains("replacing blocks from height 50", reorg.Line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"chain: committed height (\d+) \(top ([0-9a-f]{64})\)")]
    private static partial Regex CommittedLine();
}
