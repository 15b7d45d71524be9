using Aviary.Simulation.Chains;
using Aviary.Simulation.Checks;

namespace Aviary.Simulation.Tests;

public sealed class MinerTests
{
    [Fact]
    public void A_mined_block_announced_through_the_network_reaches_every_node_at_the_tip()
    {
        using var net = new MiniNet();
        var chain = ChainFactory.Build(10, "c", 1);
        var miner = net.AddHonest(chain).Peer;
        net.AddHonest(chain);
        net.AddHonest(chain);
        var tracker = new LivenessTracker(net.Simulation);
        foreach (var (node, peer) in net.Honest)
        {
            tracker.Watch(node.Name, peer);
        }

        net.StartAll();
        net.Run(TimeSpan.FromSeconds(40));
        Assert.All(net.Honest, h => Assert.Equal(2, h.Peer.Core!.Peers.All.Count(p => p.Address != MiniNet.ProbeAddress)));
        Assert.True(miner.MineAndAnnounce("fresh"));
        tracker.Begin(miner.Chain.Range(0, int.MaxValue));
        net.Run(TimeSpan.FromSeconds(5));
        var report = tracker.Report(TimeSpan.FromSeconds(5));
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(11, report.BestHeight);
        net.AssertHealthy();
    }

    [Fact]
    public void A_node_that_missed_the_announcement_is_reported_behind()
    {
        using var net = new MiniNet();
        var chain = ChainFactory.Build(10, "c", 1);
        var miner = net.AddHonest(chain).Peer;
        var (cutOff, _) = net.AddHonest(chain);
        var tracker = new LivenessTracker(net.Simulation);
        foreach (var (node, peer) in net.Honest)
        {
            tracker.Watch(node.Name, peer);
        }

        net.StartAll();
        net.Run(TimeSpan.FromSeconds(10));
        net.Simulation.Network.Cut(net.Honest[0].Node.Index, cutOff.Index);
        Assert.True(miner.MineAndAnnounce("unseen"));
        tracker.Begin(miner.Chain.Range(0, int.MaxValue));
        net.Run(TimeSpan.FromSeconds(5));
        var report = tracker.Report(TimeSpan.FromSeconds(5));
        Assert.False(report.Passed);
        var behind = Assert.Single(report.Behind);
        Assert.Equal("n1", behind.Name);
        Assert.Equal(10, behind.Height);
        Assert.Contains("missing heights 10..10", report.ToString(), StringComparison.Ordinal);
    }
}
