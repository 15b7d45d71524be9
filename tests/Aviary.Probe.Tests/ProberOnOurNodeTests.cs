using System.Net;

using Aviary.Protocol;

using Aviary.Testing;

namespace Aviary.Probe.Tests;

/// <summary>The prober against our own node: everything it checks, our node does.</summary>
public sealed class ProberOnOurNodeTests
{
    private static ProbeOptions Options(IPEndPoint target) => new() { Target = target, OverallLimit = TimeSpan.FromMinutes(3) };

    [Fact]
    public async Task Every_check_passes_against_our_node()
    {
        await using var node = new LoopbackNode("probed", Chains.Mine(20, 2), 2);
        var report = await new Prober(Options(node.EndPoint)).RunAsync(TestContext.Current.CancellationToken);
        var text = ProbeReportWriter.Text(report);
        Assert.All(report.Checks, c => Assert.True(c.Outcome == CheckOutcome.Pass, text));
        Assert.Equal(13, report.Passed);
        Assert.Equal('A', report.Grade);

        // The announce check extended the chain by the probe's block, and the junk was counted, not fatal.
        Assert.Equal(21, await node.ReadAsync(c => c.Chain.Count));
        Assert.Equal("aviary-probe", await node.ReadAsync(c => c.Chain.Top!.MinedBy));
        Assert.Equal(1, await node.ReadAsync(c => c.Counters.Rejections(RejectionReason.Empty)));
        Assert.True(await node.ReadAsync(c => c.Counters.Rejections(RejectionReason.TooDeep)) >= 2);
        Assert.True(await node.ReadAsync(c => c.Counters.Rejections(RejectionReason.NotJson)) >= 2);
    }

    [Fact]
    public async Task A_node_with_no_chain_passes_what_applies_and_skips_the_rest()
    {
        await using var node = new LoopbackNode("probed", [], 2);
        var report = await new Prober(Options(node.EndPoint)).RunAsync(TestContext.Current.CancellationToken);
        var text = ProbeReportWriter.Text(report);
        Assert.True(report.Failed == 0, text);
        var skipped = report.Checks.Where(c => c.Outcome == CheckOutcome.Skip).Select(c => c.Id).ToHashSet();
        Assert.Equal(["announce.adopted", "chain.verifies", "get_block.valid", "stats.count"], skipped.Order(StringComparer.Ordinal));
        Assert.Contains("no chain", report.Checks.Single(c => c.Id == "stats.shape").Evidence);
    }

    [Fact]
    public async Task A_difficulty_beyond_the_mining_limit_skips_the_announce_with_the_reason()
    {
        await using var node = new LoopbackNode("probed", Chains.Mine(3, 1), 1);
        var options = Options(node.EndPoint) with { Difficulty = 1, MaxMiningDifficulty = 0 };
        var report = await new Prober(options).RunAsync(TestContext.Current.CancellationToken);
        var announce = report.Checks.Single(c => c.Id == "announce.adopted");
        Assert.Equal(CheckOutcome.Skip, announce.Outcome);
        Assert.Contains("mines only up to difficulty 0", announce.Evidence);
        Assert.Equal(3, await node.ReadAsync(c => c.Chain.Count));
    }
}
