using System.Net;
using System.Net.Sockets;

namespace Aviary.Probe.Tests;

/// <summary>The prober against peers that get the protocol wrong: each fault is reported with its evidence.</summary>
public sealed class ProberOnBrokenPeersTests
{
    private static ProbeOptions Options(IPEndPoint target) => new()
    {
        Target = target,
        ReplyTimeout = TimeSpan.FromMilliseconds(500),
        OverallLimit = TimeSpan.FromMinutes(3),
    };

    private static CheckResult Check(ProbeReport report, string id) => report.Checks.Single(c => c.Id == id);

    [Fact]
    public async Task Replies_to_the_wrong_socket_and_a_tampered_block_are_failures()
    {
        using var peer = new BrokenPeer(Chains.Mine(10, 2), tamperAt: 4);
        var report = await new Prober(Options(peer.EndPoint)).RunAsync(TestContext.Current.CancellationToken);
        var text = ProbeReportWriter.Text(report);

        Assert.Equal(CheckOutcome.Pass, Check(report, "stats.reply").Outcome);
        Assert.Equal(CheckOutcome.Pass, Check(report, "stats.count").Outcome);

        var gossip = Check(report, "gossip.reply");
        Assert.True(gossip.Outcome == CheckOutcome.Fail, text);
        Assert.Contains("went to the datagram's source", gossip.Evidence);

        var chain = Check(report, "chain.verifies");
        Assert.True(chain.Outcome == CheckOutcome.Fail, text);
        Assert.StartsWith("block 4 ", chain.Evidence);
        Assert.Contains("HashMismatch", chain.Evidence);

        var negative = Check(report, "get_block.negative");
        Assert.Equal(CheckOutcome.Fail, negative.Outcome);
        Assert.Contains("returned block 9", negative.Evidence);

        Assert.Equal(CheckOutcome.Fail, Check(report, "consensus.stats").Outcome);
        Assert.Equal(CheckOutcome.Fail, Check(report, "announce.adopted").Outcome);
        Assert.Equal(CheckOutcome.Pass, Check(report, "malformed.survives").Outcome);
        Assert.NotEqual('A', report.Grade);
        Assert.Contains("FAIL  gossip.reply", text);
    }

    [Fact]
    public async Task A_string_height_that_is_the_top_index_is_reported()
    {
        using var peer = new BrokenPeer(Chains.Mine(6, 2), tamperAt: 0, indexHeightAsString: true);
        var report = await new Prober(Options(peer.EndPoint)).RunAsync(TestContext.Current.CancellationToken);

        var shape = Check(report, "stats.shape");
        Assert.Equal(CheckOutcome.Fail, shape.Outcome);
        Assert.Contains("height is string \"5\"", shape.Evidence);

        var count = Check(report, "stats.count");
        Assert.Equal(CheckOutcome.Fail, count.Outcome);
        Assert.Contains("height is the top index, not the block count", count.Evidence);
    }

    [Fact]
    public async Task A_silent_peer_fails_within_the_time_bound()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = Options((IPEndPoint)silent.LocalEndPoint!) with { ReplyTimeout = TimeSpan.FromMilliseconds(200) };
        var report = await new Prober(options).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(13, report.Checks.Count);
        Assert.Equal(CheckOutcome.Fail, Check(report, "stats.reply").Outcome);
        Assert.Equal(CheckOutcome.Skip, Check(report, "malformed.survives").Outcome);
        Assert.Equal(0, report.Passed);
        Assert.Equal('F', report.Grade);
    }

    [Fact]
    public async Task The_overall_limit_skips_what_it_did_not_reach()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = Options((IPEndPoint)silent.LocalEndPoint!) with { OverallLimit = TimeSpan.FromMilliseconds(300) };
        var report = await new Prober(options).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(13, report.Checks.Count);
        Assert.Contains(report.Checks, c => c.Outcome == CheckOutcome.Skip && c.Evidence.Contains("time limit", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Skip, Check(report, "malformed.survives").Outcome);
    }
}
