using System.Buffers.Binary;

using Aviary.Node;
using Aviary.Simulation.Network;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Tests;

public sealed class NetworkFaultTests
{
    private static readonly PeerAddress A = new("10.1.0.1", 1);
    private static readonly PeerAddress B = new("10.1.0.2", 2);
    private static readonly PeerAddress C = new("10.1.0.3", 3);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void Loss_drops_the_configured_share_of_datagrams(double loss)
    {
        using var w = new World();
        w.Sim.Network.SetLink(0, 1, LinkProfile.Perfect with { Loss = loss });
        w.Blast(w.RecA, B, 20_000, TimeSpan.FromMilliseconds(1));
        var received = w.RecB.Count / 20_000.0;
        Assert.InRange(received, 1 - loss - 0.015, 1 - loss + 0.015);
        Assert.Equal(20_000 - w.RecB.Count, w.Sim.Network.Stats.Lost);
    }

    [Fact]
    public void Duplication_delivers_the_configured_share_twice()
    {
        using var w = new World();
        w.Sim.Network.SetLink(0, 1, LinkProfile.Perfect with { Duplication = 0.5 });
        w.Blast(w.RecA, B, 20_000, TimeSpan.FromMilliseconds(1));
        Assert.InRange(w.RecB.Count, 29_400, 30_600);
        Assert.Equal(w.RecB.Count - 20_000, w.Sim.Network.Stats.Duplicated);
        var perSequence = w.RecB.Datagrams.GroupBy(d => Sequence(d.Bytes)).Select(g => g.Count()).ToList();
        Assert.Equal(20_000, perSequence.Count);
        Assert.All(perSequence, n => Assert.InRange(n, 1, 2));
    }

    [Fact]
    public void Jitter_reorders_but_loses_nothing()
    {
        using var w = new World();
        w.Sim.Network.SetLink(0, 1, LinkProfile.Perfect with { Jitter = TimeSpan.FromMilliseconds(50) });
        w.Blast(w.RecA, B, 2_000, TimeSpan.FromMilliseconds(1));
        var order = w.RecB.Datagrams.Select(d => Sequence(d.Bytes)).ToList();
        Assert.Equal(Enumerable.Range(0, 2_000), order.Order());
        var inversions = order.Zip(order.Skip(1)).Count(p => p.Second < p.First);
        Assert.True(inversions > 100, $"only {inversions} inversions");
        Assert.True(w.Sim.Network.Stats.Reordered > 0);
        Assert.All(w.RecB.Datagrams.Zip(w.RecB.Datagrams.Skip(1)), p => Assert.True(p.First.At <= p.Second.At));
    }

    [Fact]
    public void A_partition_blocks_both_ways_and_healing_restores_traffic()
    {
        using var w = new World();
        w.Sim.Network.Cut(0, 1);
        w.Send(w.RecA, B);
        w.Send(w.RecB, A);
        w.Send(w.RecA, C);
        w.Sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(0, w.RecB.Count);
        Assert.Equal(0, w.RecA.Count);
        Assert.Equal(1, w.RecC.Count);
        Assert.Equal(2, w.Sim.Network.Stats.Cut);

        // Cuts nest: two splits over the same link need two heals.
        w.Sim.Network.Cut(1, 0);
        w.Sim.Network.Restore(0, 1);
        w.Send(w.RecA, B);
        w.Sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(0, w.RecB.Count);
        w.Sim.Network.Restore(1, 0);
        w.Send(w.RecA, B);
        w.Send(w.RecB, A);
        w.Sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(1, w.RecB.Count);
        Assert.Equal(1, w.RecA.Count);
        Assert.Equal(0, w.Sim.Network.CutLinks);
    }

    [Fact]
    public void Links_cut_one_by_one_and_restored_in_random_order_block_exactly_while_cut()
    {
        using var w = new World(extra: 5);
        var n = w.Sim.Nodes.Count;
        var links = new List<(int, int)> { (0, 1), (0, 3), (2, 4), (5, 7), (1, 6) };
        var expectCut = new HashSet<(int, int)>();
        void Check()
        {
            for (var a = 0; a < n; a++)
            {
                for (var b = a + 1; b < n; b++)
                {
                    Assert.Equal(expectCut.Contains((a, b)), w.Sim.Network.IsCut(a, b));
                    var before = w.Sim.Network.Stats.Cut;
                    w.Sim.Network.Send(a, w.Sim.Nodes[a].Address, w.Sim.Nodes[b].Address, [1]);
                    Assert.Equal(expectCut.Contains((a, b)) ? before + 1 : before, w.Sim.Network.Stats.Cut);
                }
            }
        }

        foreach (var link in links)
        {
            w.Sim.Network.Cut(link.Item1, link.Item2);
            expectCut.Add(link);
            Check();
        }

        var order = links.ToList();
        new SimRandom(3).Shuffle(order);
        Assert.NotEqual(links, order);
        foreach (var link in order)
        {
            w.Sim.Network.Restore(link.Item2, link.Item1);
            expectCut.Remove(link);
            Check();
        }
    }

    [Fact]
    public void Unknown_destinations_are_dropped_and_spoofed_sources_arrive_as_claimed()
    {
        using var w = new World();
        w.Sim.Loop.At(w.Sim.Clock.Now, () =>
        {
            w.Sim.Network.Send(0, new PeerAddress("172.16.9.9", 4444), B, [7]);
            w.Sim.Network.Send(0, A, new PeerAddress("172.16.9.9", 4444), [7]);
        });
        w.Sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(new PeerAddress("172.16.9.9", 4444), Assert.Single(w.RecB.Datagrams).From);
        Assert.Equal(1, w.Sim.Network.Stats.Unroutable);
    }

    [Fact]
    public void Datagrams_arriving_at_a_crashed_node_are_dropped()
    {
        using var w = new World();
        w.Sim.Network.SetLink(0, 1, LinkProfile.Perfect with { BaseLatency = TimeSpan.FromMilliseconds(100) });
        w.Send(w.RecA, B);
        w.Sim.Loop.After(TimeSpan.FromMilliseconds(50), () => w.Sim.Crash(w.Sim.Nodes[1]));
        w.Sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(0, w.RecB.Count);
        Assert.Equal(1, w.Sim.Network.Stats.ToDownNode);
        Assert.False(w.Send(w.RecB, A), "a crashed participant cannot send");
        w.Sim.Restart(w.Sim.Nodes[1]);
        w.Send(w.RecA, B);
        w.Sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(1, w.RecB.Count);
    }

    private static int Sequence(byte[] bytes) => BinaryPrimitives.ReadInt32BigEndian(bytes);

    /// <summary>Three recorders A, B, C (indexes 0, 1, 2) and <c>extra</c> more, all started.</summary>
    private sealed class World : IDisposable
    {
        public World(int extra = 0)
        {
            Sim.Add("a", A, RecA);
            Sim.Add("b", B, RecB);
            Sim.Add("c", C, RecC);
            for (var i = 0; i < extra; i++)
            {
                Sim.Add($"x{i}", new PeerAddress($"10.1.1.{i + 1}", 9), new RecorderPeer());
            }

            foreach (var node in Sim.Nodes)
            {
                Sim.Start(node);
            }

            Sim.RunFor(TimeSpan.FromMilliseconds(1));
        }

        public Simulation Sim { get; } = new(seed: 11);

        public RecorderPeer RecA { get; } = new();

        public RecorderPeer RecB { get; } = new();

        public RecorderPeer RecC { get; } = new();

        public bool Send(RecorderPeer from, PeerAddress to) => from.Send(to, [0, 0, 0, 0]);

        /// <summary>Sends <paramref name="count"/> numbered datagrams, one every <paramref name="spacing"/>, then lets them all land.</summary>
        public void Blast(RecorderPeer from, PeerAddress to, int count, TimeSpan spacing)
        {
            for (var i = 0; i < count; i++)
            {
                var n = i;
                Sim.Loop.After(spacing * i, () =>
                {
                    var bytes = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(bytes, n);
                    from.Send(to, bytes);
                });
            }

            Sim.RunFor((spacing * count) + TimeSpan.FromSeconds(5));
        }

        public void Dispose() => Sim.Dispose();
    }
}
