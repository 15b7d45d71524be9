using System.Net;

namespace Aviary.Node.Udp;

/// <summary>
/// Where a <see cref="FairQueue"/> keeps its datagrams: <see cref="FairQueue.Capacity"/> numbered
/// slots of <see cref="FairQueue.SlotBytes"/> each, plus <see cref="FairQueue.LargeSlots"/> of 64 KiB
/// for longer datagrams, each with its source address and flow. Allocated in chunks on first use
/// and never freed, so nothing is allocated per datagram.
/// </summary>
internal sealed class InboxSlots
{
    /// <summary>Slots allocated together on first use, so an idle node holds 512 KiB, not 8 MiB.</summary>
    private const int ChunkSlots = 256;

    /// <summary>Room for any socket address (sockaddr_in6 is 28 bytes).</summary>
    private const int AddressBytes = 32;

    private const int None = -1;

    private readonly byte[]?[] chunks = new byte[]?[FairQueue.Capacity / ChunkSlots];
    private readonly byte[]?[] large = new byte[]?[FairQueue.LargeSlots];
    private readonly int[] freeLarge = new int[FairQueue.LargeSlots];
    private readonly int[] free = new int[FairQueue.Capacity];
    private readonly int[] lengths = new int[FairQueue.Capacity];
    private readonly int[] largeOf = new int[FairQueue.Capacity];
    private readonly ulong[] flows = new ulong[FairQueue.Capacity];
    private readonly byte[] addresses = new byte[FairQueue.Capacity * AddressBytes];
    private readonly byte[] addressSizes = new byte[FairQueue.Capacity];
    private int freeCount = FairQueue.Capacity;
    private int freeLargeCount = FairQueue.LargeSlots;

    public InboxSlots()
    {
        for (var i = 0; i < FairQueue.Capacity; i++)
        {
            // Popped from the end: slot 0 first, so chunks are allocated in order as the queue fills.
            free[i] = FairQueue.Capacity - 1 - i;
        }

        for (var i = 0; i < FairQueue.LargeSlots; i++)
        {
            freeLarge[i] = FairQueue.LargeSlots - 1 - i;
        }
    }

    /// <summary>True when every slot is taken.</summary>
    public bool Full => freeCount == 0;

    /// <summary>False for a datagram no slot can hold: longer than a UDP datagram can be, or from an address longer than a socket address can be.</summary>
    public static bool Fits(int length, SocketAddress source) => length <= FairQueue.LargeSlotBytes && source.Size <= AddressBytes;

    /// <summary>False when a datagram of <paramref name="length"/> bytes needs a large slot and every one is taken.</summary>
    public bool LargeFree(int length) => length <= FairQueue.SlotBytes || freeLargeCount > 0;

    public ulong FlowOf(int slot) => flows[slot];

    /// <summary>Copies a datagram into a free slot (there must be one, and a large one if it needs it); returns the slot.</summary>
    public int Store(SocketAddress source, ReadOnlySpan<byte> datagram, ulong flow)
    {
        var slot = free[--freeCount];
        var largeSlot = None;
        if (datagram.Length > FairQueue.SlotBytes)
        {
            largeSlot = freeLarge[--freeLargeCount];
            datagram.CopyTo(large[largeSlot] ??= GC.AllocateUninitializedArray<byte>(FairQueue.LargeSlotBytes));
        }
        else
        {
            datagram.CopyTo(Small(slot));
        }

        largeOf[slot] = largeSlot;
        lengths[slot] = datagram.Length;
        flows[slot] = flow;
        source.Buffer.Span[..source.Size].CopyTo(addresses.AsSpan(slot * AddressBytes, AddressBytes));
        addressSizes[slot] = (byte)source.Size;
        return slot;
    }

    /// <summary>Copies <paramref name="slot"/>'s datagram into <paramref name="destination"/> and its source into <paramref name="source"/>; returns its length.</summary>
    public int CopyOut(int slot, Span<byte> destination, SocketAddress source)
    {
        var length = lengths[slot];
        (largeOf[slot] == None ? Small(slot) : large[largeOf[slot]]!.AsSpan()).Slice(0, length).CopyTo(destination);
        source.Size = addressSizes[slot];
        addresses.AsSpan(slot * AddressBytes, source.Size).CopyTo(source.Buffer.Span);
        return length;
    }

    public void Free(int slot)
    {
        if (largeOf[slot] != None)
        {
            freeLarge[freeLargeCount++] = largeOf[slot];
        }

        free[freeCount++] = slot;
    }

    private Span<byte> Small(int slot) =>
        (chunks[slot / ChunkSlots] ??= GC.AllocateUninitializedArray<byte>(ChunkSlots * FairQueue.SlotBytes)).AsSpan(slot % ChunkSlots * FairQueue.SlotBytes, FairQueue.SlotBytes);
}
