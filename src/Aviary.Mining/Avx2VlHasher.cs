using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aviary.Mining;

/// <summary>
/// The 8-lane kernel on <see cref="Vector256{T}"/> with AVX-512VL rotates and ternary logic: the same
/// unrolled rounds as <see cref="Avx512Hasher"/>, run twice per group of 16 counters (lane digits 0–7, then 8–f).
/// </summary>
internal readonly partial struct Avx2VlHasher : IGroupHasher
{
    public static bool IsSupported => Avx2.IsSupported && Avx512F.VL.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hits<TF>(RoundPlan plan, uint fastWord, uint zeroMask)
        where TF : struct, IFastWord
    {
        var mask = Vector256.Create(zeroMask);
        var low = Vector256.Equals(LastWord<TF>(plan, fastWord, 0) & mask, Vector256<uint>.Zero).ExtractMostSignificantBits();
        var high = Vector256.Equals(LastWord<TF>(plan, fastWord, 8) & mask, Vector256<uint>.Zero).ExtractMostSignificantBits();
        return low | (high << 8);
    }

    public static void LastWords<TF>(RoundPlan plan, uint fastWord, Span<uint> lastWords)
        where TF : struct, IFastWord
    {
        LastWord<TF>(plan, fastWord, 0).CopyTo(lastWords);
        LastWord<TF>(plan, fastWord, 8).CopyTo(lastWords[8..]);
    }

    /// <summary>H7 for lane digits <paramref name="firstLane"/> to <paramref name="firstLane"/> + 7.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<uint> LastWord<TF>(RoundPlan plan, uint fastWord, int firstLane)
        where TF : struct, IFastWord
    {
        ref var constants = ref MemoryMarshal.GetArrayDataReference(plan.Constants);
        ref var k = ref MemoryMarshal.GetArrayDataReference(Sha256Constants.RoundConstants);
        ref var state = ref MemoryMarshal.GetArrayDataReference(plan.State);
        var x = Vector256.Create(fastWord) | Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(plan.Layout.LaneWords), (nuint)firstLane);

        // Round t keeps working variable j (a = 0 … h = 7) in v[(j − t) mod 8]. The plan holds the state
        // after round f less the fast word, which enters a and e (j = 0 and 4) only; start at round f + 1.
        var v0 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 1) & 7)) + (((TF.Index + 1) & 3) == 0 ? x : default);
        var v1 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 2) & 7)) + (((TF.Index + 2) & 3) == 0 ? x : default);
        var v2 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 3) & 7)) + (((TF.Index + 3) & 3) == 0 ? x : default);
        var v3 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 4) & 7)) + (((TF.Index + 4) & 3) == 0 ? x : default);
        var v4 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 5) & 7)) + (((TF.Index + 5) & 3) == 0 ? x : default);
        var v5 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 6) & 7)) + (((TF.Index + 6) & 3) == 0 ? x : default);
        var v6 = Vector256.Create(Unsafe.Add(ref state, (TF.Index + 7) & 7)) + (((TF.Index + 7) & 3) == 0 ? x : default);
        var v7 = Vector256.Create(Unsafe.Add(ref state, TF.Index & 7)) + ((TF.Index & 3) == 0 ? x : default);

        // Schedule word t lives in w[t mod 16]; of the block's own words only the fast one is read.
        Vector256<uint> w0 = x, w1 = x, w2 = x, w3 = x, w4 = x, w5 = x, w6 = x, w7 = x;
        Vector256<uint> w8 = x, w9 = x, w10 = x, w11 = x, w12 = x, w13 = x, w14 = x, w15 = x;

        if (TF.Index < 5)
        {
            Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(5, w5, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 6)
        {
            Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(6, w6, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 7)
        {
            Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(7, w7, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 8)
        {
            Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(8, w8, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 9)
        {
            Round(v7, v0, v1, ref v2, v3, v4, v5, ref v6, Kw(9, w9, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 10)
        {
            Round(v6, v7, v0, ref v1, v2, v3, v4, ref v5, Kw(10, w10, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 11)
        {
            Round(v5, v6, v7, ref v0, v1, v2, v3, ref v4, Kw(11, w11, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 12)
        {
            Round(v4, v5, v6, ref v7, v0, v1, v2, ref v3, Kw(12, w12, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 13)
        {
            Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(13, w13, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 14)
        {
            Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(14, w14, TF.Varying, ref constants, ref k));
        }

        if (TF.Index < 15)
        {
            Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(15, w15, TF.Varying, ref constants, ref k));
        }

        w0 = Next(16, w14, w9, w1, w0, TF.Varying, ref constants);
        Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(16, w0, TF.Varying, ref constants, ref k));
        w1 = Next(17, w15, w10, w2, w1, TF.Varying, ref constants);
        Round(v7, v0, v1, ref v2, v3, v4, v5, ref v6, Kw(17, w1, TF.Varying, ref constants, ref k));
        w2 = Next(18, w0, w11, w3, w2, TF.Varying, ref constants);
        Round(v6, v7, v0, ref v1, v2, v3, v4, ref v5, Kw(18, w2, TF.Varying, ref constants, ref k));
        w3 = Next(19, w1, w12, w4, w3, TF.Varying, ref constants);
        Round(v5, v6, v7, ref v0, v1, v2, v3, ref v4, Kw(19, w3, TF.Varying, ref constants, ref k));
        w4 = Next(20, w2, w13, w5, w4, TF.Varying, ref constants);
        Round(v4, v5, v6, ref v7, v0, v1, v2, ref v3, Kw(20, w4, TF.Varying, ref constants, ref k));
        w5 = Next(21, w3, w14, w6, w5, TF.Varying, ref constants);
        Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(21, w5, TF.Varying, ref constants, ref k));
        w6 = Next(22, w4, w15, w7, w6, TF.Varying, ref constants);
        Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(22, w6, TF.Varying, ref constants, ref k));
        w7 = Next(23, w5, w0, w8, w7, TF.Varying, ref constants);
        Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(23, w7, TF.Varying, ref constants, ref k));
        w8 = Next(24, w6, w1, w9, w8, TF.Varying, ref constants);
        Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(24, w8, TF.Varying, ref constants, ref k));
        w9 = Next(25, w7, w2, w10, w9, TF.Varying, ref constants);
        Round(v7, v0, v1, ref v2, v3, v4, v5, ref v6, Kw(25, w9, TF.Varying, ref constants, ref k));
        w10 = Next(26, w8, w3, w11, w10, TF.Varying, ref constants);
        Round(v6, v7, v0, ref v1, v2, v3, v4, ref v5, Kw(26, w10, TF.Varying, ref constants, ref k));
        w11 = Next(27, w9, w4, w12, w11, TF.Varying, ref constants);
        Round(v5, v6, v7, ref v0, v1, v2, v3, ref v4, Kw(27, w11, TF.Varying, ref constants, ref k));
        w12 = Next(28, w10, w5, w13, w12, TF.Varying, ref constants);
        Round(v4, v5, v6, ref v7, v0, v1, v2, ref v3, Kw(28, w12, TF.Varying, ref constants, ref k));
        w13 = Next(29, w11, w6, w14, w13, TF.Varying, ref constants);
        Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(29, w13, TF.Varying, ref constants, ref k));
        w14 = Next(30, w12, w7, w15, w14, TF.Varying, ref constants);
        Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(30, w14, TF.Varying, ref constants, ref k));
        w15 = Next(31, w13, w8, w0, w15, TF.Varying, ref constants);
        Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(31, w15, TF.Varying, ref constants, ref k));
        w0 = Next(32, w14, w9, w1, w0, TF.Varying, ref constants);
        Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(32, w0, TF.Varying, ref constants, ref k));
        w1 = Next(33, w15, w10, w2, w1, TF.Varying, ref constants);
        Round(v7, v0, v1, ref v2, v3, v4, v5, ref v6, Kw(33, w1, TF.Varying, ref constants, ref k));
        w2 = Next(34, w0, w11, w3, w2, TF.Varying, ref constants);
        Round(v6, v7, v0, ref v1, v2, v3, v4, ref v5, Kw(34, w2, TF.Varying, ref constants, ref k));
        w3 = Next(35, w1, w12, w4, w3, TF.Varying, ref constants);
        Round(v5, v6, v7, ref v0, v1, v2, v3, ref v4, Kw(35, w3, TF.Varying, ref constants, ref k));
        w4 = Next(36, w2, w13, w5, w4, TF.Varying, ref constants);
        Round(v4, v5, v6, ref v7, v0, v1, v2, ref v3, Kw(36, w4, TF.Varying, ref constants, ref k));
        w5 = Next(37, w3, w14, w6, w5, TF.Varying, ref constants);
        Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(37, w5, TF.Varying, ref constants, ref k));
        w6 = Next(38, w4, w15, w7, w6, TF.Varying, ref constants);
        Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(38, w6, TF.Varying, ref constants, ref k));
        w7 = Next(39, w5, w0, w8, w7, TF.Varying, ref constants);
        Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(39, w7, TF.Varying, ref constants, ref k));
        w8 = Next(40, w6, w1, w9, w8, TF.Varying, ref constants);
        Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(40, w8, TF.Varying, ref constants, ref k));
        w9 = Next(41, w7, w2, w10, w9, TF.Varying, ref constants);
        Round(v7, v0, v1, ref v2, v3, v4, v5, ref v6, Kw(41, w9, TF.Varying, ref constants, ref k));
        w10 = Next(42, w8, w3, w11, w10, TF.Varying, ref constants);
        Round(v6, v7, v0, ref v1, v2, v3, v4, ref v5, Kw(42, w10, TF.Varying, ref constants, ref k));
        w11 = Next(43, w9, w4, w12, w11, TF.Varying, ref constants);
        Round(v5, v6, v7, ref v0, v1, v2, v3, ref v4, Kw(43, w11, TF.Varying, ref constants, ref k));
        w12 = Next(44, w10, w5, w13, w12, TF.Varying, ref constants);
        Round(v4, v5, v6, ref v7, v0, v1, v2, ref v3, Kw(44, w12, TF.Varying, ref constants, ref k));
        w13 = Next(45, w11, w6, w14, w13, TF.Varying, ref constants);
        Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(45, w13, TF.Varying, ref constants, ref k));
        w14 = Next(46, w12, w7, w15, w14, TF.Varying, ref constants);
        Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(46, w14, TF.Varying, ref constants, ref k));
        w15 = Next(47, w13, w8, w0, w15, TF.Varying, ref constants);
        Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(47, w15, TF.Varying, ref constants, ref k));
        w0 = Next(48, w14, w9, w1, w0, TF.Varying, ref constants);
        Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(48, w0, TF.Varying, ref constants, ref k));
        w1 = Next(49, w15, w10, w2, w1, TF.Varying, ref constants);
        Round(v7, v0, v1, ref v2, v3, v4, v5, ref v6, Kw(49, w1, TF.Varying, ref constants, ref k));
        w2 = Next(50, w0, w11, w3, w2, TF.Varying, ref constants);
        Round(v6, v7, v0, ref v1, v2, v3, v4, ref v5, Kw(50, w2, TF.Varying, ref constants, ref k));
        w3 = Next(51, w1, w12, w4, w3, TF.Varying, ref constants);
        Round(v5, v6, v7, ref v0, v1, v2, v3, ref v4, Kw(51, w3, TF.Varying, ref constants, ref k));
        w4 = Next(52, w2, w13, w5, w4, TF.Varying, ref constants);
        Round(v4, v5, v6, ref v7, v0, v1, v2, ref v3, Kw(52, w4, TF.Varying, ref constants, ref k));
        w5 = Next(53, w3, w14, w6, w5, TF.Varying, ref constants);
        Round(v3, v4, v5, ref v6, v7, v0, v1, ref v2, Kw(53, w5, TF.Varying, ref constants, ref k));
        w6 = Next(54, w4, w15, w7, w6, TF.Varying, ref constants);
        Round(v2, v3, v4, ref v5, v6, v7, v0, ref v1, Kw(54, w6, TF.Varying, ref constants, ref k));
        w7 = Next(55, w5, w0, w8, w7, TF.Varying, ref constants);
        Round(v1, v2, v3, ref v4, v5, v6, v7, ref v0, Kw(55, w7, TF.Varying, ref constants, ref k));
        w8 = Next(56, w6, w1, w9, w8, TF.Varying, ref constants);
        Round(v0, v1, v2, ref v3, v4, v5, v6, ref v7, Kw(56, w8, TF.Varying, ref constants, ref k));
        w9 = Next(57, w7, w2, w10, w9, TF.Varying, ref constants);
        RoundE(ref v2, v3, v4, v5, v6, Kw(57, w9, TF.Varying, ref constants, ref k));
        w10 = Next(58, w8, w3, w11, w10, TF.Varying, ref constants);
        RoundE(ref v1, v2, v3, v4, v5, Kw(58, w10, TF.Varying, ref constants, ref k));
        w11 = Next(59, w9, w4, w12, w11, TF.Varying, ref constants);
        RoundE(ref v0, v1, v2, v3, v4, Kw(59, w11, TF.Varying, ref constants, ref k));
        w12 = Next(60, w10, w5, w13, w12, TF.Varying, ref constants);
        RoundE(ref v7, v0, v1, v2, v3, Kw(60, w12, TF.Varying, ref constants, ref k));

        // Round 60 left its e in v7: the last digest word is that plus the midstate's H7.
        return v7 + Vector256.Create(plan.LastWordIn);
    }
}
