using System.Net;
using System.Net.Sockets;

using Aviary.Testing;

namespace Aviary.Probe.Tests;

/// <summary>
/// The prober where the address or the chain is not what a quiet test net gives: a dead port, a
/// silent one, a chain that grows while it probes, a peer on another loopback address.
/// </summary>
public sealed class ProberReachTests
{
    [Fact]
    public async Task A_closed_port_is_reported_as_nothing_answered_and_no_check_runs()
    {
        var target = ClosedPort();
        var report = await new Prober(new ProbeOptions { Target = target }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"nothing answered from {target}: the port is closed (ICMP port unreachable)", report.NoAnswer);
        Assert.Equal(1, report.Failed);
        Assert.Equal(report.Checks.Count - 1, report.Skipped);
        Assert.Equal(report.NoAnswer, report.Checks[0].Evidence);
    }

    [Fact]
    public async Task A_silent_port_is_reported_after_the_contact_limit()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = (IPEndPoint)silent.LocalEndPoint!;
        var options = new ProbeOptions { Target = target, ContactLimit = TimeSpan.FromSeconds(1.5) };

        var report = await new Prober(options).RunAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith($"nothing answered from {target} in 1.5 s (", report.NoAnswer, StringComparison.Ordinal);
        Assert.Equal(1, report.Failed);
        Assert.Equal(0, report.Passed);
    }

    [Fact]
    public async Task A_block_mined_while_probing_is_no_false_missing_block_failure()
    {
        using var peer = new GrowingPeer(Chains.Mine(60, 1), visible: 10);
        var options = new ProbeOptions { Target = peer.EndPoint, Difficulty = 1, MaxBlocks = 100, Announce = false, ReplyTimeout = TimeSpan.FromSeconds(0.5) };

        var report = await new Prober(options).RunAsync(TestContext.Current.CancellationToken);

        var missing = report.Checks.Single(c => c.Id == "get_block.missing");
        Assert.True(missing.Outcome == CheckOutcome.Pass, ProbeReportWriter.Text(report));
        Assert.Contains("the chain grew from", missing.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_on_another_loopback_address_answers_the_gossip_and_consensus_checks()
    {
        var address = IPAddress.Parse("127.0.0.5");
        await using var node = new LoopbackNode("probed", Chains.Mine(5, 1), 1, address);
        var (bind, advertise) = ProbeAddressing.Choose(node.EndPoint, advertise: null);
        var options = new ProbeOptions { Target = node.EndPoint, Bind = bind, Advertise = advertise, OverallLimit = TimeSpan.FromMinutes(3) };

        var report = await new Prober(options).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(IPAddress.Loopback, bind);
        Assert.Equal("127.0.0.1", advertise);
        var text = ProbeReportWriter.Text(report);
        Assert.True(report.Checks.Single(c => c.Id == "gossip.reply").Outcome == CheckOutcome.Pass, text);
        Assert.True(report.Checks.Single(c => c.Id == "consensus.stats").Outcome == CheckOutcome.Pass, text);
    }

    [Theory]
    [InlineData("127.0.0.5", null, "127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.5", "127.0.0.9", "127.0.0.9", "127.0.0.9")]
    [InlineData("::1", null, "::1", "::1")]
    public void The_advertised_host_is_the_bound_one(string target, string? advertise, string bind, string named)
    {
        var (b, a) = ProbeAddressing.Choose(new IPEndPoint(IPAddress.Parse(target), 9000), advertise);

        Assert.Equal(IPAddress.Parse(bind), b);
        Assert.Equal(named, a);
    }

    internal static IPEndPoint ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
