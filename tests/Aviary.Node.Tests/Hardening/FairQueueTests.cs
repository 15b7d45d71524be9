using System.Buffers.Binary;
using System.Net;

using Aviary.Node.Udp;

namespace Aviary.Node.Tests.Hardening;

public sealed class FairQueueTests
{
    private static readonly SocketAddress Flooder = Address("127.10.0.1", 40000);
    private static readonly SocketAddress Honest = Address("127.0.0.1", 50000);

    [Fact]
    public void Constants_keep_the_invariants_the_drop_rule_relies_on()
    {
        Assert.True(FairQueue.Capacity >= 2 * FairQueue.Queues);
        Assert.Equal(0, FairQueue.Queues & (FairQueue.Queues - 1));
        Assert.True(FairQueue.LargeSlotBytes >= 65_535);
    }

    [Fact]
    public void Never_holds_more_than_its_capacity_and_counts_every_datagram_it_drops()
    {
        var queue = new FairQueue(seed: 1);
        for (var i = 0; i < 3 * FairQueue.Capacity; i++)
        {
            queue.Add(Flooder, Numbered(i));
            Assert.True(queue.Count <= FairQueue.Capacity);
            Assert.Equal(i + 1, queue.Count + queue.Dropped);
        }

        // One source: its oldest went, and what is left comes out in the order it arrived.
        var taken = TakeAll(queue).Select(d => d.Number).ToList();
        Assert.Equal(3 * FairQueue.Capacity - 1, taken[^1]);
        Assert.Equal(Enumerable.Range(taken[0], taken.Count), taken);
        Assert.Equal(3 * FairQueue.Capacity, taken.Count + queue.Dropped);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Round_robin_serves_a_quiet_source_early_while_another_sends_ten_thousand()
    {
        var queue = new FairQueue(seed: 11);
        for (var i = 0; i < 10_000; i++)
        {
            queue.Add(Flooder, Numbered(i));
            if (i % 1000 == 999)
            {
                queue.Add(Honest, Numbered(1_000_000 + (i / 1000)));
            }
        }

        var taken = TakeAll(queue);
        var honest = taken.Select((d, at) => (d, at)).Where(x => x.d.From.Equals(Honest)).ToList();
        Assert.Equal(Enumerable.Range(1_000_000, 10), honest.Select(x => x.d.Number));
        Assert.All(honest, x => Assert.True(x.at < FairQueue.BurstRound + 10, $"served {x.at}th"));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_quiet_source_waits_one_turn_per_busy_source_when_the_core_keeps_taking()
    {
        // A hundred flooders, together ten times faster than the core takes; the quiet source sends
        // now and then and waits at most one datagram per busy source.
        var queue = new FairQueue(seed: 12);
        var flooders = Flooders().Take(100).ToList();
        var buffer = new byte[FairQueue.LargeSlotBytes];
        var from = new SocketAddress(Honest.Family);
        var waited = new List<int>();
        var (takes, sentAt) = (0, -1);
        for (var step = 0; step < 10_000; step++)
        {
            flooders.ForEach(f => queue.Add(f, Numbered(step)));
            if (step % 1000 == 0)
            {
                queue.Add(Honest, Numbered(step));
                sentAt = takes;
            }

            for (var k = 0; k < 10; k++, takes++)
            {
                Assert.True(queue.TryTake(buffer, from, out _));
                if (from.Equals(Honest))
                {
                    waited.Add(takes - sentAt);
                }
            }
        }

        Assert.Equal(10, waited.Count);
        Assert.All(waited, w => Assert.InRange(w, 0, flooders.Count + 1));
        Assert.True(queue.Dropped > 500_000);
    }

    [Fact]
    public void While_few_sources_are_busy_each_turn_serves_a_short_burst()
    {
        // Two peers answering runs of requests: their replies are taken in runs, not one by one.
        var queue = new FairQueue(seed: 15);
        var (a, b) = (Address("127.0.0.1", 1001), Address("127.0.0.1", 1002));
        for (var i = 0; i < 200; i++)
        {
            queue.Add(a, Numbered(i));
            queue.Add(b, Numbered(i));
        }

        var order = TakeAll(queue).Select(d => d.From.Equals(a) ? 'a' : 'b').ToArray();
        Assert.Equal(400, order.Length);
        Assert.Equal(new string('a', FairQueue.BurstRound / 2) + new string('b', FairQueue.BurstRound / 2), new string(order[..FairQueue.BurstRound]));
    }

    [Fact]
    public void Past_one_queue_per_source_a_quiet_source_shares_a_flooders_queue_and_its_turns()
    {
        // A flood from more sources than there are queues, each with a backlog: the quiet source
        // shares a flooder's queue, whose turns alternate between them.
        var queue = new FairQueue(seed: 13);
        var flooders = Flooders();
        for (var round = 0; round < 3; round++)
        {
            flooders.ForEach(f => queue.Add(f, Numbered(round)));
        }

        Assert.Equal(FairQueue.Queues, queue.Sources);
        queue.Add(Honest, Numbered(42));
        var at = TakeAll(queue).FindIndex(d => d.From.Equals(Honest));
        Assert.InRange(at, 0, (2 * FairQueue.Queues) - 1);
        Assert.Equal(0, queue.Sources);
    }

    [Fact]
    public void Past_one_queue_per_source_the_drops_spare_a_quiet_source_sharing_a_flooders_queue()
    {
        var queue = new FairQueue(seed: 14);
        var flooders = Flooders();
        for (var round = 0; round < 4; round++)
        {
            flooders.ForEach(f => queue.Add(f, Numbered(round)));
        }

        queue.Add(Honest, Numbered(42));
        for (var round = 0; round < 8; round++)
        {
            flooders.ForEach(f => queue.Add(f, Numbered(round)));
        }

        Assert.True(queue.Dropped >= 8 * FairQueue.Queues);
        Assert.Contains(TakeAll(queue), d => d.From.Equals(Honest));
    }

    [Fact]
    public void Long_datagrams_have_few_slots_and_do_not_crowd_out_short_ones()
    {
        var queue = new FairQueue(seed: 7);
        var longOne = new byte[FairQueue.LargeSlotBytes - 29];
        longOne.AsSpan().Fill((byte)'x');
        for (var i = 0; i < FairQueue.LargeSlots + 5; i++)
        {
            queue.Add(Flooder, longOne);
        }

        queue.Add(Honest, Numbered(42));
        Assert.Equal(5, queue.Dropped);
        Assert.Equal(FairQueue.LargeSlots + 1, queue.Count);
        var taken = TakeAll(queue);
        Assert.Equal(42, taken.Single(d => d.From.Equals(Honest)).Number);
        Assert.All(taken.Where(d => d.From.Equals(Flooder)), d => Assert.Equal(longOne, d.Bytes));

        // Taken slots are free again.
        queue.Add(Flooder, longOne);
        Assert.Equal(1, queue.Count);
        Assert.Equal(5, queue.Dropped);
    }

    [Fact]
    public void Bytes_and_source_come_back_as_they_went_in_for_both_address_families()
    {
        var queue = new FairQueue(seed: 3);
        var v6 = new IPEndPoint(IPAddress.Parse("2001:db8::5"), 4242).Serialize();
        queue.Add(v6, "{\"type\":\"STATS\"}"u8);
        queue.Add(Honest, []);
        var taken = TakeAll(queue, v6.Family);
        Assert.Equal(2, taken.Count);
        Assert.Equal(v6, taken[0].From);
        Assert.Equal("{\"type\":\"STATS\"}"u8.ToArray(), taken[0].Bytes);
        Assert.Empty(taken[1].Bytes);
    }

    [Fact]
    public void Flows_group_sources_like_the_rate_limiter()
    {
        // Loopback: every address and port is its own source; elsewhere a /24 (IPv4) or /64 (IPv6).
        Assert.NotEqual(InboxFlow.Of(Address("127.0.0.1", 1)), InboxFlow.Of(Address("127.0.0.1", 2)));
        Assert.NotEqual(InboxFlow.Of(Address("127.0.0.1", 1)), InboxFlow.Of(Address("127.0.0.2", 1)));
        Assert.Equal(InboxFlow.Of(Address("198.51.100.1", 1)), InboxFlow.Of(Address("198.51.100.200", 9)));
        Assert.NotEqual(InboxFlow.Of(Address("198.51.100.1", 1)), InboxFlow.Of(Address("198.51.101.1", 1)));
        Assert.Equal(InboxFlow.Of(Address("2001:db8:0:1::1", 1)), InboxFlow.Of(Address("2001:db8:0:1::ff", 2)));
        Assert.NotEqual(InboxFlow.Of(Address("2001:db8:0:1::1", 1)), InboxFlow.Of(Address("2001:db8:0:2::1", 1)));
        Assert.NotEqual(InboxFlow.Of(Address("::1", 1)), InboxFlow.Of(Address("::1", 2)));
        Assert.Equal(InboxFlow.Of(Address("198.51.100.1", 1)), InboxFlow.Of(Address("::ffff:198.51.100.7", 5)));
    }

    [Fact]
    public void Flow_table_agrees_with_a_dictionary_through_adds_and_removals()
    {
        // A small table, so runs wrap around its end and removals must shift entries back.
        const int Capacity = 64;
        var table = new FlowTable(Capacity, seed: 5);
        var model = new Dictionary<ulong, int>();
        var random = new Random(2026);
        for (var step = 0; step < 200_000; step++)
        {
            var flow = (ulong)random.Next(200);
            if (model.Count < Capacity && !model.ContainsKey(flow) && random.Next(2) == 0)
            {
                table.Add(flow, step);
                model[flow] = step;
            }
            else if (random.Next(3) == 0)
            {
                table.Remove(flow);
                model.Remove(flow);
            }

            Assert.Equal(model.GetValueOrDefault(flow, -1), table.Find(flow));
            Assert.Equal(model.Count, table.Count);
        }

        Assert.All(model, e => Assert.Equal(e.Value, table.Find(e.Key)));
    }

    private static List<SocketAddress> Flooders() =>
        [.. Enumerable.Range(0, FairQueue.Queues).Select(i => Address($"198.{i / 250}.{i % 250}.1", 1000))];

    private static SocketAddress Address(string ip, int port) => new IPEndPoint(IPAddress.Parse(ip), port).Serialize();

    private static byte[] Numbered(int n)
    {
        var bytes = new byte[100];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, n);
        return bytes;
    }

    private static List<Taken> TakeAll(FairQueue queue, System.Net.Sockets.AddressFamily family = System.Net.Sockets.AddressFamily.InterNetwork)
    {
        var buffer = new byte[FairQueue.LargeSlotBytes];
        var taken = new List<Taken>();
        var from = new SocketAddress(family);
        while (queue.TryTake(buffer, from, out var n))
        {
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            taken.Add(new Taken(copy, buffer.AsSpan(0, n).ToArray()));
        }

        return taken;
    }

    private sealed record Taken(SocketAddress From, byte[] Bytes)
    {
        public int Number => BinaryPrimitives.ReadInt32LittleEndian(Bytes);
    }
}
