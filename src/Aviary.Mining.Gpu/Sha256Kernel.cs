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

    /// <summary>The offset in the last block just past the nonce (<see cref="NonceLayout.End"/>).</summary>
    public int NonceEnd;

    /// <summary>Bits of the digest's last word that must be zero.</summary>
    public uint ZeroMask;

    /// <summary>Bit t set when schedule word t depends on the fast word.</summary>
    public ulong Varying;
}

/// <summary>
/// The nonce search as an ILGPU kernel, the same computation as the CPU tiers: the midstate comes in, each
/// thread writes its batch's upper counter digits into the last block once, runs the rounds before the fast
/// word once, then per counter sets the fast word, recomputes only the schedule words that depend on it and
/// runs the remaining rounds up to round 60, whose e gives the digest's last word (rounds 61–63 are
/// skipped: the early exit). A thread stops at its first hit; the launch keeps the smallest hit counter.
/// </summary>
internal static class Sha256Kernel
{
    /// <summary>Job buffer: the midstate (8 words), then the last block with the counter digits zeroed (16 words).</summary>
    public const int JobWords = 24;

    private const int LastWord = 60;

    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>The kernel; <paramref name="fastWord"/> is specialized, so each layout gets its own compiled code.</summary>
    public static void Search(Index1D index, ArrayView<uint> job, ArrayView<ulong> result, KernelArgs args, SpecializedValue<int> fastWord)
    {
        var f = fastWord.Value;
        var first = args.First + ((ulong)index.X * (ulong)args.Batch);
        if (first >= args.End)
        {
            return;
        }

        var w = LocalMemory.Allocate<uint>(LastWord + 1);
        for (var t = 0; t < 16; t++)
        {
            w[t] = job[8 + t];
        }

        var fastDigits = args.NonceEnd - (4 * f);
        for (var k = fastDigits; k < NonceLayout.CounterDigits; k++)
        {
            PlaceDigit(w, args.NonceEnd - 1 - k, (uint)(first >> (4 * k)) & 15);
        }

        var fastBase = w[f];
        w[f] = 0;
        for (var t = 16; t <= LastWord; t++)
        {
            w[t] = Varies(args.Varying, t) ? 0 : Schedule(w, t);
        }

        uint a = job[0], b = job[1], c = job[2], d = job[3], e = job[4], g = job[5], h = job[6], i = job[7];
        for (var t = 0; t < 64; t++)
        {
            if (t <= f)
            {
                Round(ref a, ref b, ref c, ref d, ref e, ref g, ref h, ref i, K[t] + w[t]);
            }
        }

        var lastIn = job[7];
        for (var n = 0; n < args.Batch; n++)
        {
            var counter = first + (ulong)n;
            if (counter >= args.End)
            {
                break;
            }

            var fast = fastBase;
            for (var k = 0; k < fastDigits; k++)
            {
                var at = args.NonceEnd - 1 - k - (4 * f);
                fast |= Hex((uint)(counter >> (4 * k)) & 15) << (8 * (3 - at));
            }

            w[f] = fast;
            for (var t = 16; t <= LastWord; t++)
            {
                if (Varies(args.Varying, t))
                {
                    w[t] = Schedule(w, t);
                }
            }

            uint ra = a + fast, rb = b, rc = c, rd = d, re = e + fast, rf = g, rg = h, rh = i;
            for (var t = 1; t <= LastWord; t++)
            {
                if (t > f)
                {
                    Round(ref ra, ref rb, ref rc, ref rd, ref re, ref rf, ref rg, ref rh, K[t] + w[t]);
                }
            }

            if (counter >= args.Start && ((re + lastIn) & args.ZeroMask) == 0)
            {
                Atomic.Min(ref result[0], counter);
                break;
            }
        }
    }

    private static bool Varies(ulong mask, int t) => ((mask >> t) & 1) != 0;

    private static uint Hex(uint nibble) => nibble < 10 ? '0' + nibble : 'a' + nibble - 10;

    private static void PlaceDigit(ArrayView<uint> w, int at, uint nibble) => w[at >> 2] |= Hex(nibble) << (8 * (3 - (at & 3)));

    private static uint Rotr(uint x, int n) => (x >> n) | (x << (32 - n));

    private static uint Schedule(ArrayView<uint> w, int t)
    {
        var x = w[t - 2];
        var y = w[t - 15];
        return (Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10)) + w[t - 7] + (Rotr(y, 7) ^ Rotr(y, 18) ^ (y >> 3)) + w[t - 16];
    }

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
