using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aviary.Mining;

/// <summary>
/// The AVX2 + AVX-512VL round and schedule pieces the unrolled kernel is made of. Written with intrinsics
/// only (no helper calls inside), so each round costs the JIT one small inline; the fast-word
/// dependence mask arrives as a constant, so the branches on it fold away when the method is compiled.
/// </summary>
internal readonly partial struct Avx2VlHasher
{
    /// <summary>K[t] + W[t]: from the plan when W[t] is constant, else computed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Kw(int t, Vector256<uint> w, ulong varying, ref uint constants, ref uint k) =>
        ((varying >> t) & 1) != 0 ? w + Vector256.Create(Unsafe.Add(ref k, t)) : Vector256.Create(Unsafe.Add(ref constants, t));

    /// <summary>Schedule word t when it varies (its constant inputs summed in the plan); unused otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Next(int t, Vector256<uint> w2, Vector256<uint> w7, Vector256<uint> w15, Vector256<uint> w16, ulong varying, ref uint constants)
    {
        if (((varying >> t) & 1) == 0)
        {
            return default;
        }

        var w = Vector256.Create(Unsafe.Add(ref constants, t));
        if (((varying >> (t - 2)) & 1) != 0)
        {
            w += Avx512F.VL.TernaryLogic(Avx512F.VL.RotateRight(w2, 17), Avx512F.VL.RotateRight(w2, 19), Avx2.ShiftRightLogical(w2, 10), 0x96);
        }

        if (((varying >> (t - 7)) & 1) != 0)
        {
            w += w7;
        }

        if (((varying >> (t - 15)) & 1) != 0)
        {
            w += Avx512F.VL.TernaryLogic(Avx512F.VL.RotateRight(w15, 7), Avx512F.VL.RotateRight(w15, 18), Avx2.ShiftRightLogical(w15, 3), 0x96);
        }

        if (((varying >> (t - 16)) & 1) != 0)
        {
            w += w16;
        }

        return w;
    }

    /// <summary>One full round: d += T1, h = T1 + T2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, ref Vector256<uint> d,
        Vector256<uint> e, Vector256<uint> f, Vector256<uint> g, ref Vector256<uint> h, Vector256<uint> kw)
    {
        var t1 = h + kw + Avx512F.VL.TernaryLogic(e, f, g, 0xca)
            + Avx512F.VL.TernaryLogic(Avx512F.VL.RotateRight(e, 6), Avx512F.VL.RotateRight(e, 11), Avx512F.VL.RotateRight(e, 25), 0x96);
        d += t1;
        h = t1 + Avx512F.VL.TernaryLogic(a, b, c, 0xe8)
            + Avx512F.VL.TernaryLogic(Avx512F.VL.RotateRight(a, 2), Avx512F.VL.RotateRight(a, 13), Avx512F.VL.RotateRight(a, 22), 0x96);
    }

    /// <summary>A round whose new a is never read (the last four): only d += T1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundE(ref Vector256<uint> d, Vector256<uint> e, Vector256<uint> f, Vector256<uint> g, Vector256<uint> h, Vector256<uint> kw) =>
        d += h + kw + Avx512F.VL.TernaryLogic(e, f, g, 0xca)
            + Avx512F.VL.TernaryLogic(Avx512F.VL.RotateRight(e, 6), Avx512F.VL.RotateRight(e, 11), Avx512F.VL.RotateRight(e, 25), 0x96);
}
