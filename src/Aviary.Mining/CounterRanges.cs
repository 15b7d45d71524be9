namespace Aviary.Mining;

/// <summary>
/// How a node splits the 16^12 nonce counters of one job so that nobody repeats anyone's work: its own
/// threads take the lower half (split at <see cref="GpuStart"/> when the node also mines on a GPU), and
/// each remote worker slot a fixed slice of the upper half. Slices never overlap, whatever the number of
/// workers (at most <see cref="MaxSlots"/>).
/// </summary>
public static class CounterRanges
{
    /// <summary>Remote worker slots; together they fill the upper half exactly.</summary>
    public const int MaxSlots = 64;

    /// <summary>The node's own threads mine [0, <see cref="LocalEnd"/>): 2^47 counters.</summary>
    public const ulong LocalEnd = NonceLayout.CounterLimit / 2;

    /// <summary>
    /// With a GPU, the node's CPU threads mine [0, <see cref="GpuStart"/>) and its GPU
    /// [<see cref="GpuStart"/>, <see cref="LocalEnd"/>): 2^46 counters, about an hour at 20 G attempts/s.
    /// </summary>
    public const ulong GpuStart = LocalEnd / 2;

    /// <summary>Counters per worker slot: 2^41, about 36 minutes at 10^9 attempts/s.</summary>
    public const ulong SlotSize = (NonceLayout.CounterLimit - LocalEnd) / MaxSlots;

    /// <summary>The first counter of worker slot <paramref name="slot"/> (0 to <see cref="MaxSlots"/> − 1).</summary>
    public static ulong SlotStart(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, MaxSlots);
        return LocalEnd + ((ulong)slot * SlotSize);
    }
}
