using System.Text;

using Aviary.Protocol;
using Aviary.Simulation.Chains;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Tests;

/// <summary>Quirky-but-honest peers send what real quirky peers send, and honest nodes get along with them.</summary>
public sealed class QuirkTests
{
    [Fact]
    public void Other_port_sends_from_a_second_socket_that_also_receives()
    {
        using var net = new MiniNet();
        net.AddHonest();
        var (quirky, peer) = net.AddHonest(ChainFactory.Build(4, "q", 1), Quirks.OtherPort);
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(5));
        var sending = QuirkTransport.SendingAddress(peer.Options);
        Assert.NotEqual(quirky.Address, sending);
        net.Probe.Send(quirky.Address, Stats.Instance);
        net.Run(TimeSpan.FromSeconds(1));
        var reply = Assert.Single(net.Probe.Of<StatsReply>());
        Assert.Equal(sending, reply.From);

        // A reply to the second socket reaches it too: the honest node n0 answered its STATS-less gossip there.
        net.Probe.Send(sending, Stats.Instance);
        net.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(2, net.Probe.Of<StatsReply>().Count);
        Assert.NotNull(net.Honest[0].Peer.Core!.Peers.Find(quirky.Address));
        net.AssertHealthy();
    }

    [Fact]
    public void Fixed_gossip_id_reuses_one_id_for_every_keep_alive_and_stays_tracked()
    {
        using var net = new MiniNet();
        net.AddHonest();
        var (quirky, _) = net.AddHonest(quirks: Quirks.FixedGossipId);
        net.StartAll();
        // The probe keeps itself in the quirky node's table, so it gets its keep-alives.
        for (var i = 0; i < 12; i++)
        {
            var id = $"probe-{i}";
            net.Simulation.Loop.After(TimeSpan.FromSeconds(20 * i) + TimeSpan.FromMilliseconds(1), () => net.Probe.Send(quirky.Address, new Gossip(MiniNet.ProbeAddress.Host, MiniNet.ProbeAddress.Port, id, "probe")));
        }

        net.Run(TimeSpan.FromMinutes(4));
        var ids = net.Probe.Of<Gossip>().Where(g => g.Message.Host == quirky.Address.Host).Select(g => g.Message.Id).ToList();
        Assert.True(ids.Count >= 3, $"{ids.Count} keep-alives seen");
        Assert.Single(ids.Distinct());
        // Minutes later (past the 60 s timeout) the honest node still tracks it.
        Assert.NotNull(net.Honest[0].Peer.Core!.Peers.Find(quirky.Address));
        net.AssertHealthy();
    }

    [Fact]
    public void String_numbers_come_python_style_and_honest_nodes_accept_them()
    {
        using var net = new MiniNet();
        net.AddHonest();
        var (quirky, _) = net.AddHonest(ChainFactory.Build(3, "q", 1), Quirks.StringNumbers);
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(5));
        net.Probe.Send(quirky.Address, Stats.Instance);
        net.Probe.Send(quirky.Address, new GetBlock(1));
        net.Run(TimeSpan.FromSeconds(40));
        var texts = net.Probe.Datagrams.Select(d => Encoding.UTF8.GetString(d.Bytes)).ToList();
        Assert.Contains(texts, t => t.StartsWith("{\"type\": \"STATS_REPLY\", \"height\": \"3\", \"hash\": ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("\"height\": \"1\"", StringComparison.Ordinal) && t.Contains("\"messages\": [", StringComparison.Ordinal));
        var stats = Assert.Single(net.Probe.Of<StatsReply>()).Message;
        Assert.Equal(3, stats.Height);
        Assert.Equal(1, Assert.Single(net.Probe.Of<GetBlockReply>()).Message.Block!.Height);
        // n0 took its GOSSIP (port as a string) and rejected nothing from it.
        var n0 = net.Honest[0].Peer.Core!;
        Assert.NotNull(n0.Peers.Find(quirky.Address));
        Assert.False(n0.Counters.RejectionsBySource.ContainsKey(quirky.Address.Host));
        net.AssertHealthy();
    }
}
