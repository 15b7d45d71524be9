using Aviary.Protocol;

namespace Aviary.Simulation.Tests;

public sealed class EventLoopTests
{
    [Fact]
    public void Items_run_in_time_order_and_ties_in_scheduling_order()
    {
        var loop = new EventLoop(new VirtualClock(VirtualClock.DefaultStart));
        var ran = new List<string>();
        loop.After(TimeSpan.FromSeconds(2), () => ran.Add("b"));
        loop.After(TimeSpan.FromSeconds(1), () => ran.Add("a1"));
        loop.After(TimeSpan.FromSeconds(1), () => ran.Add("a2"));
        loop.After(TimeSpan.FromSeconds(1), () => loop.After(TimeSpan.Zero, () => ran.Add("a3")));
        loop.After(TimeSpan.FromSeconds(5), () => ran.Add("late"));
        loop.RunUntil(VirtualClock.DefaultStart + TimeSpan.FromSeconds(3));
        Assert.Equal(["a1", "a2", "a3", "b"], ran);
        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromSeconds(3), loop.Now);
        Assert.Equal(1, loop.Pending);
    }

    [Fact]
    public void The_clock_never_goes_back_and_past_items_run_now()
    {
        var clock = new VirtualClock(VirtualClock.DefaultStart);
        var loop = new EventLoop(clock);
        loop.RunUntil(clock.Start + TimeSpan.FromSeconds(10));
        DateTimeOffset? at = null;
        loop.At(clock.Start, () => at = loop.Now);
        loop.RunUntil(clock.Now);
        Assert.Equal(clock.Start + TimeSpan.FromSeconds(10), at);
        Assert.Throws<InvalidOperationException>(() => clock.AdvanceTo(clock.Start));
    }

    [Fact]
    public void A_skewed_clock_reads_global_time_plus_its_skew_and_refuses_real_timers()
    {
        var clock = new VirtualClock(VirtualClock.DefaultStart);
        var skewed = new SkewedClock(clock, TimeSpan.FromSeconds(-300));
        Assert.Equal(clock.Now - TimeSpan.FromSeconds(300), skewed.GetUtcNow());
        Assert.Equal(clock.Now, skewed.ToGlobal(skewed.GetUtcNow()));
        Assert.Throws<NotSupportedException>(() => skewed.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(0)]
    [InlineData(299)]
    public void A_core_on_a_skewed_clock_keeps_its_30_second_gossip_rhythm(int skewSeconds)
    {
        using var net = new MiniNet();
        var (node, _) = net.AddHonest(skew: TimeSpan.FromSeconds(skewSeconds));
        net.StartAll();
        // Become the node's peer, so its keep-alive rounds come to us.
        net.Simulation.Loop.After(TimeSpan.FromMilliseconds(1), () => net.Probe.Send(node.Address, new Gossip(MiniNet.ProbeAddress.Host, MiniNet.ProbeAddress.Port, "probe-1", "probe")));
        net.Run(TimeSpan.FromSeconds(65));
        var rounds = net.Probe.Datagrams
            .Where(d => MessageDecoder.Decode(d.Bytes).Message is Gossip g && g.Host == node.Address.Host)
            .Select(d => d.At - net.Simulation.Clock.Start)
            .ToList();
        Assert.Equal(2, rounds.Count);
        Assert.InRange(rounds[0], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30.1));
        Assert.InRange(rounds[1], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60.1));
        net.AssertHealthy();
    }
}
