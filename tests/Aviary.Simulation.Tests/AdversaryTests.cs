using Aviary.Chain;
using Aviary.Node;
using Aviary.Protocol;
using Aviary.Simulation.Adversaries;
using Aviary.Simulation.Chains;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Tests;

/// <summary>Each adversary sends what it should, and the honest nodes beside it stay up and safe.</summary>
public sealed class AdversaryTests
{
    private static readonly PeerAddress Evil = new("10.6.0.1", 8999);

    [Fact]
    public void The_height_liar_claims_a_huge_height_with_a_hash_that_looks_like_work()
    {
        using var net = Honest3(out _);
        var liar = new HeightLiar([MiniNet.HonestAddress(0)], 1);
        net.Add("liar", Evil, liar);
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(5));
        net.Probe.Send(Evil, Stats.Instance);
        net.Probe.Send(Evil, new GetBlock(5));
        net.Probe.Send(Evil, new GetBlock(6));
        net.Probe.Send(Evil, new GetBlock(7));
        net.Probe.Send(Evil, new GetBlock(8));
        net.Run(TimeSpan.FromSeconds(60));
        var lie = Assert.Single(net.Probe.Of<StatsReply>()).Message;
        Assert.True(lie.Height >= HeightLiar.LieBase, $"height {lie.Height}");
        Assert.True(lie.ClaimsChain);
        Assert.EndsWith("00000000", lie.Hash, StringComparison.Ordinal);
        var blocks = net.Probe.Of<GetBlockReply>();
        Assert.Equal(4, blocks.Count);
        Assert.All(blocks.Where(b => b.Message.Block is not null), b => Assert.False(BlockValidator.CheckStructure(b.Message.Block!, b.Message.Block!.Height).IsValid && BlockHasher.Matches(b.Message.Block!, null)));
        Assert.True(liar.Lies >= 1, "it lied to the probe (and to the honest nodes' consensus rounds)");
        // It asked the honest nodes it learned of to run a consensus.
        Assert.True(net.Honest.Sum(h => h.Peer.Core!.Counters.ConsensusRequests) > 0);
        net.AssertHealthy();
    }

    [Fact]
    public void The_invalid_chain_server_serves_a_valid_prefix_then_a_bad_block_and_announces_forgeries()
    {
        using var net = Honest3(out var reference);
        var mallory = new InvalidChainServer([MiniNet.HonestAddress(0)], reference[..12], BadBlock.TooManyMessages, reference.Count, 5, 1);
        net.Add("mallory", Evil, mallory);
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(5));
        net.Probe.Send(Evil, Stats.Instance);
        for (var h = 0; h < mallory.Chain.Count; h++)
        {
            net.Probe.Send(Evil, new GetBlock(h));
        }

        net.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(new StatsReply(reference.Count + 5, mallory.Chain[^1].Hash), Assert.Single(net.Probe.Of<StatsReply>()).Message);
        var served = net.Probe.Of<GetBlockReply>().Select(r => r.Message.Block!).OrderBy(b => b.Height).ToList();
        Assert.Equal(mallory.Chain, served);
        Assert.Equal(reference[..12], served[..12]);
        Assert.Equal(BlockRule.TooManyMessages, BlockValidator.Validate(served[12], served[11], 1).Rule);
        Assert.True(served.Skip(13).Zip(served.Skip(12)).All(p => BlockValidator.Validate(p.First, p.Second, 1).IsValid), "blocks above the bad one are well made");
        Assert.True(mallory.BadBlocksServed >= served.Count - 12);

        // Its forged ANNOUNCEs reached honest nodes and were refused; every honest node followed the
        // honest 20-block chain, none adopted the forgery.
        Assert.True(mallory.ForgedAnnounces > 0);
        Assert.True(net.Honest.Sum(h => h.Peer.Core!.Counters.InvalidBlocks) > 0);
        Assert.All(net.Honest, h => Assert.Equal((20L, reference[^1].Hash), (h.Peer.Chain.Count, h.Peer.Chain.TopHash)));
        net.AssertHealthy();
    }

    [Fact]
    public void The_staller_is_tracked_receives_requests_and_answers_nothing()
    {
        using var net = Honest3(out _);
        var staller = new Staller([MiniNet.HonestAddress(0)]);
        net.Add("staller", Evil, staller);
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(5));
        net.Probe.Send(Evil, Stats.Instance);
        net.Probe.Send(Evil, new GetBlock(0));
        net.Probe.Send(Evil, new Gossip(MiniNet.ProbeAddress.Host, MiniNet.ProbeAddress.Port, "p", "probe"));
        net.Run(TimeSpan.FromSeconds(60));
        Assert.Empty(net.Probe.Of<StatsReply>());
        Assert.Empty(net.Probe.Of<GetBlockReply>());
        Assert.Empty(net.Probe.Of<GossipReply>());
        Assert.All(net.Probe.Of<Gossip>(), g => Assert.Equal(Evil.Host, g.Message.Host));
        Assert.True(staller.Swallowed >= 2, "the probe's requests (and the honest nodes' STATS) went unanswered");
        Assert.True(staller.Received > 3, "honest nodes talk to it");
        Assert.Contains(net.Honest, h => h.Peer.Core!.Peers.Find(Evil) is not null);
        net.AssertHealthy();
    }

    [Fact]
    public void Garbage_is_rejected_by_reason_and_the_honest_nodes_keep_serving()
    {
        using var net = Honest3(out var reference);
        var garbage = new GarbageSender([MiniNet.HonestAddress(0)]);
        net.Add("garbage", Evil, garbage);
        net.StartAll();
        net.Run(TimeSpan.FromMinutes(3));
        Assert.True(garbage.Junk > 300, $"{garbage.Junk} junk datagrams");
        var reasons = net.Honest.SelectMany(h => h.Peer.Core!.Counters.RejectionsByReason).Select(r => r.Reason).Distinct().ToList();
        Assert.True(reasons.Count >= 6, $"only {string.Join(", ", reasons)}");
        Assert.Contains(RejectionReason.NotJson, reasons);
        Assert.Contains(RejectionReason.TooDeep, reasons);
        Assert.Contains(RejectionReason.BadField, reasons);
        net.Probe.Send(MiniNet.HonestAddress(0), Stats.Instance);
        net.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(new StatsReply(20, reference[^1].Hash), Assert.Single(net.Probe.Of<StatsReply>()).Message);
        net.AssertHealthy();
    }

    [Fact]
    public void The_flooder_sends_unique_ids_from_spoofed_names_and_the_honest_tables_stay_bounded()
    {
        using var net = Honest3(out _);
        var flooder = new GossipFlooder([MiniNet.HonestAddress(0)], TimeSpan.FromMilliseconds(20));
        net.Add("flooder", Evil, flooder);
        net.StartAll();
        net.Run(TimeSpan.FromMinutes(3));
        Assert.True(flooder.Floods > 8_000, $"{flooder.Floods} floods");
        Assert.InRange(flooder.Spoofed, flooder.Floods / 3, flooder.Floods * 2 / 3);
        var received = net.Honest.Sum(h => h.Peer.Core!.Counters.Received.GetValueOrDefault(MessageTypes.Gossip));
        Assert.True(received > flooder.Floods, $"honest nodes received {received} GOSSIPs, {flooder.Floods} floods were sent");
        Assert.All(net.Honest, h =>
        {
            Assert.InRange(h.Peer.Core!.Peers.Count, 0, Node.Membership.PeerTable.MaxPeers);
            Assert.InRange(h.Peer.Core!.Seen.Count, 0, Node.Membership.SeenIds.MaxIds);
        });
        Assert.True(net.Simulation.Network.Stats.Unroutable > 0, "replies to spoofed originators go nowhere");
        net.AssertHealthy();
    }

    [Fact]
    public void The_reflection_abuser_aims_gossip_replies_at_its_victim_and_the_reply_limit_bounds_them()
    {
        using var net = Honest3(out _);
        var victim = new RecorderPeer();
        var victimAddress = new PeerAddress("10.8.0.1", 8999);
        net.Add("victim", victimAddress, victim);
        var abuser = new ReflectionAbuser([MiniNet.HonestAddress(0)], victimAddress, TimeSpan.FromMilliseconds(50));
        net.Add("reflector", Evil, abuser);
        net.StartAll();
        var span = TimeSpan.FromMinutes(2);
        net.Run(span);
        Assert.True(abuser.Forged > 1_000);
        var replies = victim.Of<GossipReply>();
        Assert.NotEmpty(replies);
        Assert.All(replies, r => Assert.Contains(net.Honest, h => h.Node.Address == r.From));
        // One reply per honest node per 10 s at most, however many forgeries arrive.
        var cap = net.Honest.Count * ((int)(span / Node.Core.GossipMembership.GossipReplyMinInterval) + 1);
        Assert.InRange(replies.Count, 1, cap);
        // Besides the replies it gets only what tracked peers get: keep-alive GOSSIPs and consensus STATS.
        Assert.Equal(victim.Count, replies.Count + victim.Of<Gossip>().Count + victim.Of<Stats>().Count);
        net.AssertHealthy();
    }

    /// <summary>Three honest nodes: n0 with a 20-block chain (the well-known host), n1 with a 7-block prefix, n2 empty.</summary>
    private static MiniNet Honest3(out List<Block> reference)
    {
        reference = ChainFactory.Build(20, "ref", 1);
        var net = new MiniNet();
        net.AddHonest(reference);
        net.AddHonest(reference[..7]);
        net.AddHonest();
        return net;
    }
}
