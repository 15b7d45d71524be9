using Aviary.Simulation.Chains;
using Aviary.Simulation.Checks;

namespace Aviary.Simulation.Tests;

public sealed class LivenessReportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public void The_report_names_each_node_behind_and_where_it_differs()
    {
        var best = ChainFactory.Build(10, "best", 1);
        var fork = ChainFactory.Fork(best, 6, 2, "fork", 1);
        var report = new LivenessReport(10, best[^1].Hash,
        [
            NodeStatus.Of("synced", "empty", best, best, TimeSpan.FromSeconds(30)),
            NodeStatus.Of("empty", "empty", [], best, null),
            NodeStatus.Of("prefix", "with a prefix (4)", best[..4], best, null),
            NodeStatus.Of("fork", "with a fork (6+2)", fork, best, null),
            NodeStatus.Of("slow", "empty", best, best, TimeSpan.FromSeconds(121)),
        ], Bound);

        Assert.False(report.Passed);
        Assert.Equal(["empty", "prefix", "fork", "slow"], report.Behind.Select(n => n.Name));
        var text = report.ToString();
        Assert.Contains("4 of 5 honest nodes behind", text, StringComparison.Ordinal);
        Assert.Contains("empty (started empty): height 0 @ (no chain), a prefix, missing heights 0..9", text, StringComparison.Ordinal);
        Assert.Contains("prefix (started with a prefix (4)): height 4", text, StringComparison.Ordinal);
        Assert.Contains("missing heights 4..9", text, StringComparison.Ordinal);
        Assert.Contains("fork (started with a fork (6+2)): height 8", text, StringComparison.Ordinal);
        Assert.Contains("diverges from height 6, needs heights 6..9", text, StringComparison.Ordinal);
        Assert.Equal(6, report.Nodes[3].CommonPrefix);
    }

    [Fact]
    public void All_caught_up_within_the_bound_passes_and_gives_the_slowest_time()
    {
        var best = ChainFactory.Build(5, "best", 1);
        var report = new LivenessReport(5, best[^1].Hash,
        [
            NodeStatus.Of("a", "empty", best, best, TimeSpan.FromSeconds(3)),
            NodeStatus.Of("b", "empty", best, best, TimeSpan.FromSeconds(90)),
        ], Bound);
        Assert.True(report.Passed);
        Assert.Equal(TimeSpan.FromSeconds(90), report.SlowestCatchUp);
        Assert.Contains("all 2 honest nodes hold it", report.ToString(), StringComparison.Ordinal);
    }
}
