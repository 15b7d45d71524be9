using System.Net;

namespace Aviary.Node.Hosting;

/// <summary>
/// The host's bounded inbox: datagrams received but not yet handled by the core, fair across
/// sources. Sources (see <see cref="InboxFlow"/>) are hashed with a secret seed into
/// <see cref="Buckets"/> first-in-first-out queues that share <see cref="Capacity"/> slots; the core
/// takes one datagram from each non-empty bucket in turn, so a low-rate source waits behind at most
/// one datagram per busy bucket, however fast a flood arrives. When every slot is taken the oldest
/// datagrams of the longest bucket's busiest source go (a flooder's, by construction), not a quiet
/// source's. Not thread-safe: the host guards it with one lock.
/// </summary>
/// <remarks>
/// This is stochastic fairness queueing with longest-queue drop, as in Linux's fq_codel. A quiet
/// source that hashes into a flooder's bucket shares that bucket's turns (first in, first out behind
/// the flooder's backlog, which the drops keep short) but not its drops; the seed is secret so an
/// attacker cannot aim at a chosen source's bucket. One source alone may use every slot, so a peer
/// we sync from can burst.
/// </remarks>
public sealed class FairQueue
{
    /// <summary>
    /// Datagrams held at once. A few milliseconds of work for the core even for cheap messages (a
    /// core handles 40–150 k datagrams/s here), and the kernel buffer holds more behind it; more would
    /// only add latency. Memory: at most <see cref="Capacity"/> × <see cref="SlotBytes"/> = 8 MiB.
    /// </summary>
    public const int Capacity = 4096;

    /// <summary>Queues that sources are hashed into: ≫ the distinct sources of a busy node, so collisions are rare.</summary>
    public const int Buckets = 1024;

    /// <summary>Bytes a slot holds: every honest datagram (peers read 1024 bytes) fits; longer ones need a large slot.</summary>
    public const int SlotBytes = 2048;

    /// <summary>
    /// Datagrams over <see cref="SlotBytes"/> held at once (64 KiB each, so 1 MiB). No course message
    /// is that long; they are held only to be counted and rejected by the core.
    /// </summary>
    public const int LargeSlots = 16;

    /// <summary>Largest datagram held: the largest a UDP socket can deliver.</summary>
    public const int LargeSlotBytes = 65_536;

    /// <summary>Most datagrams dropped from the longest bucket at once when full (amortises finding it).</summary>
    public const int MaxDropBatch = 64;

    /// <summary>Oldest datagrams of the longest bucket looked at to find the source to trim (bounds the work per drop).</summary>
    private const int DropSample = 32;

    /// <summary>Slots allocated together on first use, so an idle node holds 512 KiB, not 8 MiB.</summary>
    private const int ChunkSlots = 256;

    /// <summary>Room for any socket address (sockaddr_in6 is 28 bytes).</summary>
    private const int AddressBytes = 32;

    private const int None = -1;

    private readonly ulong seed;
    private readonly byte[]?[] chunks = new byte[]?[Capacity / ChunkSlots];
    private readonly byte[]?[] large = new byte[]?[LargeSlots];
    private readonly int[] freeLarge = new int[LargeSlots];
    private readonly int[] free = new int[Capacity];
    private readonly int[] next = new int[Capacity];
    private readonly int[] lengths = new int[Capacity];
    private readonly ulong[] flows = new ulong[Capacity];
    private readonly int[] largeOf = new int[Capacity];
    private readonly byte[] addresses = new byte[Capacity * AddressBytes];
    private readonly byte[] addressSizes = new byte[Capacity];
    private readonly int[] heads = new int[Buckets];
    private readonly int[] tails = new int[Buckets];
    private readonly int[] counts = new int[Buckets];
    private readonly int[] turns = new int[Buckets];
    private int freeCount = Capacity;
    private int freeLargeCount = LargeSlots;
    private int turnHead;
    private int turnCount;

    /// <summary>A queue whose bucket hash is keyed by <paramref name="seed"/> (secret in production; fixed in tests).</summary>
    public FairQueue(ulong seed)
    {
        this.seed = seed;
        for (var i = 0; i < Capacity; i++)
        {
            // Popped from the end: slot 0 first, so chunks are allocated in order as the queue fills.
            free[i] = Capacity - 1 - i;
        }

        for (var i = 0; i < LargeSlots; i++)
        {
            freeLarge[i] = LargeSlots - 1 - i;
        }

        Array.Fill(heads, None);
        Array.Fill(tails, None);
    }

    /// <summary>Datagrams waiting.</summary>
    public int Count { get; private set; }

    /// <summary>Datagrams dropped: the longest bucket's oldest when full, or one over <see cref="SlotBytes"/> when every large slot was taken.</summary>
    public long Dropped { get; private set; }

    /// <summary>Which bucket <paramref name="source"/>'s datagrams queue in.</summary>
    public int BucketOf(SocketAddress source) => BucketOf(InboxFlow.Of(source));

    /// <summary>How many datagrams wait in <paramref name="bucket"/>.</summary>
    public int CountIn(int bucket) => counts[bucket];

    /// <summary>Queues a copy of <paramref name="datagram"/> from <paramref name="source"/>, making room if full.</summary>
    public void Add(SocketAddress source, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > LargeSlotBytes || source.Size > AddressBytes)
        {
            Dropped++;
            return;
        }

        if (datagram.Length > SlotBytes && freeLargeCount == 0)
        {
            Dropped++;
            return;
        }

        if (freeCount == 0)
        {
            DropFromLongest();
        }

        var flow = InboxFlow.Of(source);
        var bucket = BucketOf(flow);
        var largeSlot = None;
        if (datagram.Length > SlotBytes)
        {
            largeSlot = freeLarge[--freeLargeCount];
            large[largeSlot] ??= GC.AllocateUninitializedArray<byte>(LargeSlotBytes);
            datagram.CopyTo(large[largeSlot]);
        }

        var slot = free[--freeCount];
        if (largeSlot == None)
        {
            datagram.CopyTo(Small(slot));
        }

        largeOf[slot] = largeSlot;
        lengths[slot] = datagram.Length;
        flows[slot] = flow;
        source.Buffer.Span[..source.Size].CopyTo(addresses.AsSpan(slot * AddressBytes, AddressBytes));
        addressSizes[slot] = (byte)source.Size;
        next[slot] = None;
        if (counts[bucket] == 0)
        {
            heads[bucket] = slot;
            turns[(turnHead + turnCount++) % Buckets] = bucket;
        }
        else
        {
            next[tails[bucket]] = slot;
        }

        tails[bucket] = slot;
        counts[bucket]++;
        Count++;
    }

    /// <summary>
    /// Takes the next datagram in round-robin order across buckets: copies it into
    /// <paramref name="destination"/> (at least <see cref="LargeSlotBytes"/> long) and its source into
    /// <paramref name="source"/>; false when empty.
    /// </summary>
    public bool TryTake(Span<byte> destination, SocketAddress source, out int length)
    {
        if (turnCount == 0)
        {
            length = 0;
            return false;
        }

        var bucket = turns[turnHead];
        turnHead = (turnHead + 1) % Buckets;
        turnCount--;
        var slot = heads[bucket];
        length = lengths[slot];
        (largeOf[slot] == None ? Small(slot) : large[largeOf[slot]]!.AsSpan(0, length)).CopyTo(destination);
        source.Size = addressSizes[slot];
        addresses.AsSpan(slot * AddressBytes, source.Size).CopyTo(source.Buffer.Span);
        RemoveHead(bucket);
        if (counts[bucket] > 0)
        {
            turns[(turnHead + turnCount++) % Buckets] = bucket;
        }

        return true;
    }

    private int BucketOf(ulong flow) => InboxFlow.Bucket(flow, seed, Buckets);

    private Span<byte> Small(int slot) =>
        (chunks[slot / ChunkSlots] ??= GC.AllocateUninitializedArray<byte>(ChunkSlots * SlotBytes)).AsSpan(slot % ChunkSlots * SlotBytes, SlotBytes);

    /// <summary>
    /// Frees room by dropping the oldest datagrams of the longest bucket's busiest source (the most
    /// frequent among its <see cref="DropSample"/> oldest), up to half the bucket and at most
    /// <see cref="MaxDropBatch"/>: a quiet source that shares the bucket with a flooder keeps its
    /// datagrams. The bucket keeps at least half, so its turn stays queued; since it is full and
    /// <see cref="Capacity"/> ≥ 2 × <see cref="Buckets"/>, the longest holds at least two.
    /// </summary>
    private void DropFromLongest()
    {
        var longest = 0;
        for (var b = 1; b < Buckets; b++)
        {
            if (counts[b] > counts[longest])
            {
                longest = b;
            }
        }

        var busiest = BusiestFlow(longest);
        var drop = Math.Min(counts[longest] / 2, MaxDropBatch);
        var dropped = 0;
        var previous = None;
        for (var slot = heads[longest]; slot != None && dropped < drop;)
        {
            var following = next[slot];
            if (flows[slot] == busiest)
            {
                Remove(longest, previous, slot);
                dropped++;
            }
            else
            {
                previous = slot;
            }

            slot = following;
        }

        Dropped += dropped;
    }

    private ulong BusiestFlow(int bucket)
    {
        Span<ulong> seen = stackalloc ulong[DropSample];
        Span<int> tally = stackalloc int[DropSample];
        var distinct = 0;
        var best = 0;
        var slot = heads[bucket];
        for (var i = 0; i < DropSample && slot != None; i++, slot = next[slot])
        {
            var j = seen[..distinct].IndexOf(flows[slot]);
            if (j < 0)
            {
                j = distinct++;
                seen[j] = flows[slot];
                tally[j] = 0;
            }

            if (++tally[j] > tally[best])
            {
                best = j;
            }
        }

        return seen[best];
    }

    private void RemoveHead(int bucket) => Remove(bucket, None, heads[bucket]);

    /// <summary>Unlinks <paramref name="slot"/> (after <paramref name="previous"/>, or the head) from <paramref name="bucket"/> and frees it.</summary>
    private void Remove(int bucket, int previous, int slot)
    {
        if (previous == None)
        {
            heads[bucket] = next[slot];
        }
        else
        {
            next[previous] = next[slot];
        }

        if (tails[bucket] == slot)
        {
            tails[bucket] = previous;
        }

        counts[bucket]--;
        if (largeOf[slot] != None)
        {
            freeLarge[freeLargeCount++] = largeOf[slot];
        }

        free[freeCount++] = slot;
        Count--;
    }
}
