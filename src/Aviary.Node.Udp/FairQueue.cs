using System.Net;

namespace Aviary.Node.Udp;

/// <summary>
/// The host's bounded inbox: datagrams received but not yet handled by the core, fair across
/// sources (see <see cref="InboxFlow"/>). Each source with datagrams waiting has its own
/// first-in-first-out queue, all sharing <see cref="Capacity"/> slots, and the core takes from each
/// non-empty queue in turn (one datagram a turn, or a few while few sources are busy: see
/// <see cref="BurstRound"/>), so a low-rate source waits behind at most one datagram per busy source,
/// however fast a flood arrives. When every slot is taken the oldest datagrams of the longest queue
/// go (a flooder's, by construction), never a quiet source's. Not thread-safe: the host guards it
/// with one lock.
/// </summary>
/// <remarks>
/// This is fair queueing with longest-queue drop, as in Linux's fq_codel, but with a queue per
/// source rather than per hash bucket while there are at most <see cref="Queues"/> sources: past that
/// (a flood from more networks than that), a new source shares the queue a keyed hash picks, whose
/// turns then alternate between the sources in it; the key is secret, so an attacker cannot aim at
/// a chosen source's queue. One source alone may use every slot, so a peer we sync from can burst.
/// </remarks>
public sealed partial class FairQueue
{
    /// <summary>
    /// Datagrams held at once. A few milliseconds of work for the core even for cheap messages (a
    /// core handles 40–150 k datagrams/s here), and the kernel buffer holds more behind it; more would
    /// only add latency. Memory: at most <see cref="Capacity"/> × <see cref="SlotBytes"/> = 8 MiB.
    /// </summary>
    public const int Capacity = 4096;

    /// <summary>Sources with their own queue at once: ≫ the peers of a busy node, and ≤ Capacity / 2 so the longest queue always holds two when full.</summary>
    public const int Queues = 1024;

    /// <summary>Bytes a slot holds: every honest datagram (peers read 1024 bytes) fits; longer ones need a large slot.</summary>
    public const int SlotBytes = 2048;

    /// <summary>
    /// Datagrams over <see cref="SlotBytes"/> held at once (64 KiB each, so 1 MiB). No course message
    /// is that long; they are held only to be counted and rejected by the core.
    /// </summary>
    public const int LargeSlots = 16;

    /// <summary>Largest datagram held: the largest a UDP socket can deliver.</summary>
    public const int LargeSlotBytes = 65_536;

    /// <summary>Most datagrams dropped from the longest queue at once when full (amortises finding it).</summary>
    public const int MaxDropBatch = 64;

    /// <summary>
    /// About how many datagrams one round of turns serves while few sources are busy: each takes up to
    /// BurstRound ÷ busy sources in a row, so a peer's burst (replies to a run of our requests) is
    /// handled together and the requests it triggers leave together, one wake-up for that peer instead
    /// of one per datagram. With more busy sources than that each gets one per turn, so a quiet source
    /// never waits more than one datagram per busy source, and at most BurstRound in all while few are busy.
    /// </summary>
    public const int BurstRound = 64;

    /// <summary>Oldest datagrams of a shared queue looked at to pick a source, to trim or to serve (bounds the work).</summary>
    private const int Sample = 32;

    private const int None = -1;

    private readonly ulong seed;
    private readonly InboxSlots slots = new();
    private readonly FlowTable owners;
    private readonly int[] next = new int[Capacity];
    private readonly int[] heads = new int[Queues];
    private readonly int[] tails = new int[Queues];
    private readonly int[] counts = new int[Queues];
    private readonly ulong[] ownerOf = new ulong[Queues];
    private readonly ulong[] lastServed = new ulong[Queues];
    private readonly bool[] shared = new bool[Queues];
    private readonly int[] freeQueues = new int[Queues];
    private readonly int[] turns = new int[Queues];
    private int freeQueueCount = Queues;
    private int current = None;
    private int credit;
    private int turnHead;
    private int turnCount;

    /// <summary>A queue whose hashes are keyed by <paramref name="seed"/> (secret in production; fixed in tests).</summary>
    public FairQueue(ulong seed)
    {
        this.seed = seed;
        owners = new FlowTable(Queues, seed);
        for (var i = 0; i < Queues; i++)
        {
            freeQueues[i] = Queues - 1 - i;
        }
    }

    /// <summary>Datagrams waiting.</summary>
    public int Count { get; private set; }

    /// <summary>Datagrams dropped: the longest queue's oldest when full, or one over <see cref="SlotBytes"/> when every large slot was taken.</summary>
    public long Dropped { get; private set; }

    /// <summary>Sources that own a queue now.</summary>
    public int Sources => owners.Count;

    /// <summary>Queues a copy of <paramref name="datagram"/> from <paramref name="source"/>, making room if full.</summary>
    public void Add(SocketAddress source, ReadOnlySpan<byte> datagram)
    {
        if (!InboxSlots.Fits(datagram.Length, source) || !slots.LargeFree(datagram.Length))
        {
            Dropped++;
            return;
        }

        if (slots.Full)
        {
            DropFromLongest();
        }

        var flow = InboxFlow.Of(source);
        var queue = QueueOf(flow);
        var slot = slots.Store(source, datagram, flow);
        next[slot] = None;
        if (counts[queue] == 0)
        {
            heads[queue] = slot;
            turns[(turnHead + turnCount++) % Queues] = queue;
        }
        else
        {
            shared[queue] |= slots.FlowOf(tails[queue]) != flow;
            next[tails[queue]] = slot;
        }

        tails[queue] = slot;
        counts[queue]++;
        Count++;
    }

    /// <summary>
    /// Takes the next datagram in round-robin order across queues (see <see cref="BurstRound"/>): copies it into
    /// <paramref name="destination"/> (at least <see cref="LargeSlotBytes"/> long) and its source into
    /// <paramref name="source"/>; false when empty.
    /// </summary>
    public bool TryTake(Span<byte> destination, SocketAddress source, out int length)
    {
        if (current == None)
        {
            if (turnCount == 0)
            {
                length = 0;
                return false;
            }

            current = turns[turnHead];
            turnHead = (turnHead + 1) % Queues;
            turnCount--;
            credit = Math.Max(1, BurstRound / (turnCount + 1));
        }

        var queue = current;
        var (previous, slot) = NextIn(queue);
        lastServed[queue] = slots.FlowOf(slot);
        length = slots.CopyOut(slot, destination, source);
        Remove(queue, previous, slot);
        if (counts[queue] == 0)
        {
            current = None;
        }
        else if (--credit == 0)
        {
            turns[(turnHead + turnCount++) % Queues] = queue;
            current = None;
        }

        return true;
    }

    /// <summary>The queue <paramref name="flow"/> owns, a free one it now owns, or (none free) the one a keyed hash picks.</summary>
    private int QueueOf(ulong flow)
    {
        var queue = owners.Find(flow);
        if (queue != None)
        {
            return queue;
        }

        if (freeQueueCount == 0)
        {
            return InboxFlow.Bucket(flow, ~seed, Queues);
        }

        queue = freeQueues[--freeQueueCount];
        owners.Add(flow, queue);
        ownerOf[queue] = flow;
        shared[queue] = false;
        return queue;
    }

    /// <summary>
    /// Which datagram of <paramref name="queue"/> goes next (and the one before it): the oldest,
    /// except that a shared queue alternates between its sources, taking the oldest of another
    /// source than the one served last, among its <see cref="Sample"/> oldest.
    /// </summary>
    private (int Previous, int Slot) NextIn(int queue)
    {
        var slot = heads[queue];
        if (!shared[queue] || slots.FlowOf(slot) != lastServed[queue])
        {
            return (None, slot);
        }

        for (var (previous, i) = (slot, 1); i < Sample && next[previous] != None; previous = next[previous], i++)
        {
            if (slots.FlowOf(next[previous]) != lastServed[queue])
            {
                return (previous, next[previous]);
            }
        }

        return (None, slot);
    }
}
