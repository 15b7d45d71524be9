using ILGPU;
using ILGPU.Runtime;

namespace Aviary.Mining.Gpu;

/// <summary>What every thread of one launch shares, besides the template words in the job buffer.</summary>
internal struct KernelArgs
{
    /// <summary>The first counter of thread 0's batch (a multiple of <see cref="Batch"/>).</summary>
    public ulong First;

    /// <summary>Counters below this are not tried (the search range may start inside a batch).</summary>
    public ulong Start;

    /// <summary>Counters from this on are not tried.</summary>
    public ulong End;

    /// <summary>Counters per thread: a power of two dividing 4,096, so a batch never leaves one outer value.</summary>
    public int Batch;

    /// <summary>Bits of the digest's last word that must be zero.</summary>
    public uint ZeroMask;
}

/// <summary>
/// The nonce search as an ILGPU kernel, the same computation as the CPU tiers: the midstate comes in, each
/// thread writes its batch's upper counter digits into the last block once and runs the rounds before the
/// fast word once, then per counter sets the fast word, recomputes only the schedule words that depend on
/// it and runs the remaining rounds up to round 60, whose e gives the digest's last word (rounds 61–63 are
/// skipped: the early exit). A thread stops at its first hit; the launch keeps the smallest hit counter.
/// The nonce end (which fixes the fast word) and the varying-word mask are specialized, so each layout
/// gets its own code with every schedule word and round it does not need folded away; the unrolled body
/// is generated (Sha256Kernel.Rounds.cs), since ILGPU would keep arrays in local memory.
/// </summary>
internal static partial class Sha256Kernel
{
    /// <summary>Job buffer: the midstate (8 words), then the last block with the counter digits zeroed (16 words).</summary>
    public const int JobWords = 24;

    /// <summary>The kernel: one batch of counters per thread.</summary>
    public static void Search(Index1D index, ArrayView<uint> job, ArrayView<ulong> result, KernelArgs args, SpecializedValue<int> nonceEnd, SpecializedValue<ulong> varying)
    {
        var first = args.First + ((ulong)index.X * (ulong)args.Batch);
        if (first < args.End)
        {
            Batch(job, result, args, first, nonceEnd.Value, varying.Value);
        }
    }

    /// <summary>The counter digits of <paramref name="first"/> above the fast word that fall in word <paramref name="word"/>, as ASCII hex.</summary>
    private static uint OuterDigits(ulong first, int word, int end, int fastDigits)
    {
        var bits = 0u;
        for (var k = fastDigits; k < NonceLayout.CounterDigits; k++)
        {
            var at = end - 1 - k;
            if (at >> 2 == word)
            {
                bits |= Hex((uint)(first >> (4 * k)) & 15) << (8 * (3 - (at & 3)));
            }
        }

        return bits;
    }

    /// <summary>The fast word's counter digits of <paramref name="counter"/>, as ASCII hex in their places.</summary>
    private static uint FastDigits(ulong counter, int end, int fastDigits, int f)
    {
        var bits = 0u;
        for (var k = 0; k < fastDigits; k++)
        {
            var at = end - 1 - k - (4 * f);
            bits |= Hex((uint)(counter >> (4 * k)) & 15) << (8 * (3 - at));
        }

        return bits;
    }

    private static bool Varies(ulong mask, int t) => ((mask >> t) & 1) != 0;

    private static uint Hex(uint nibble) => nibble < 10 ? '0' + nibble : 'a' + nibble - 10;

    private static uint Rotr(uint x, int n) => (x >> n) | (x << (32 - n));

    private static uint Schedule(uint w2, uint w7, uint w15, uint w16) =>
        (Rotr(w2, 17) ^ Rotr(w2, 19) ^ (w2 >> 10)) + w7 + (Rotr(w15, 7) ^ Rotr(w15, 18) ^ (w15 >> 3)) + w16;

    private static void Round(ref uint a, ref uint b, ref uint c, ref uint d, ref uint e, ref uint f, ref uint g, ref uint h, uint kw)
    {
        var t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + kw;
        var t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
}
