using Aviary.Protocol;
using Aviary.Simulation.Chains;

namespace Aviary.Simulation.Tests;

public sealed class CrashRestartTests
{
    [Fact]
    public void A_restarted_node_gets_a_fresh_core_over_the_same_store_and_keeps_its_chain()
    {
        using var net = new MiniNet();
        var chain = ChainFactory.Build(20, "c", 1);
        var (node, peer) = net.AddHonest(chain);
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(1));
        var firstCore = peer.Core;
        Assert.NotNull(firstCore);

        net.Simulation.Crash(node);
        Assert.Null(peer.Core);
        net.Probe.Send(node.Address, Stats.Instance);
        net.Run(TimeSpan.FromSeconds(5));
        Assert.Empty(net.Probe.Of<StatsReply>());

        net.Simulation.Restart(node);
        Assert.NotNull(peer.Core);
        Assert.NotSame(firstCore, peer.Core);
        Assert.Equal(2, peer.Lives);
        Assert.Equal(20, peer.Chain.Count);
        net.Probe.Send(node.Address, Stats.Instance);
        net.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(new StatsReply(20, chain[^1].Hash), Assert.Single(net.Probe.Of<StatsReply>()).Message);
        net.AssertHealthy();
    }

    [Fact]
    public void A_crashed_core_sends_nothing_and_its_timers_die_with_it()
    {
        using var net = new MiniNet();
        var (first, _) = net.AddHonest();
        var (second, _) = net.AddHonest();
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(40));
        net.Simulation.Crash(second);
        var sentBefore = net.Simulation.Network.Stats.Sent;
        var stepsBefore = net.Simulation.Loop.Steps;
        net.Simulation.Crash(first);
        net.Run(TimeSpan.FromMinutes(5));
        Assert.Equal(sentBefore, net.Simulation.Network.Stats.Sent);
        // Only the stale wake-ups already queued may still pop (and do nothing).
        Assert.True(net.Simulation.Loop.Steps - stepsBefore < 10);
        net.AssertHealthy();
    }

    [Fact]
    public void A_mined_block_survives_a_crash_and_a_restart()
    {
        using var net = new MiniNet();
        var (node, peer) = net.AddHonest(ChainFactory.Build(5, "c", 1));
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(1));
        Assert.True(peer.MineAndAnnounce("kept"));
        net.Simulation.Crash(node);
        Assert.False(peer.MineAndAnnounce("not while down"));
        net.Simulation.Restart(node);
        Assert.Equal(6, peer.Chain.Count);
        Assert.Equal(["kept"], peer.Chain.Top!.Messages);
        net.AssertHealthy();
    }
}
