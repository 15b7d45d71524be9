using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aviary.Mining;

/// <summary>
/// The AVX-512 round and schedule pieces the unrolled kernel is made of. Written with intrinsics
/// only (no helper calls inside), so each round costs the JIT one small inline; the fast-word
/// dependence mask arrives as a constant, so the branches on it fold away when the method is compiled.
/// </summary>
internal readonly partial struct Avx512Hasher
{
    /// <summary>K[t] + W[t]: from the plan when W[t] is constant, else computed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Kw(int t, Vector512<uint> w, ulong varying, ref uint constants, ref uint k) =>
        ((varying >> t) & 1) != 0 ? w + Vector512.Create(Unsafe.Add(ref k, t)) : Vector512.Create(Unsafe.Add(ref constants, t));

    /// <summary>Schedule word t when it varies (its constant inputs summed in the plan); unused otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Next(int t, Vector512<uint> w2, Vector512<uint> w7, Vector512<uint> w15, Vector512<uint> w16, ulong varying, ref uint constants)
    {
        if (((varying >> t) & 1) == 0)
        {
            return default;
        }

        var w = Vector512.Create(Unsafe.Add(ref constants, t));
        if (((varying >> (t - 2)) & 1) != 0)
        {
            w += Avx512F.TernaryLogic(Avx512F.RotateRight(w2, 17), Avx512F.RotateRight(w2, 19), Avx512F.ShiftRightLogical(w2, 10), 0x96);
        }

        if (((varying >> (t - 7)) & 1) != 0)
        {
            w += w7;
        }

        if (((varying >> (t - 15)) & 1) != 0)
        {
            w += Avx512F.TernaryLogic(Avx512F.RotateRight(w15, 7), Avx512F.RotateRight(w15, 18), Avx512F.ShiftRightLogical(w15, 3), 0x96);
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
        Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, ref Vector512<uint> d,
        Vector512<uint> e, Vector512<uint> f, Vector512<uint> g, ref Vector512<uint> h, Vector512<uint> kw)
    {
        var t1 = h + kw + Avx512F.TernaryLogic(e, f, g, 0xca)
            + Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), 0x96);
        d += t1;
        h = t1 + Avx512F.TernaryLogic(a, b, c, 0xe8)
            + Avx512F.TernaryLogic(Avx512F.RotateRight(a, 2), Avx512F.RotateRight(a, 13), Avx512F.RotateRight(a, 22), 0x96);
    }

    /// <summary>A round whose new a is never read (the last four): only d += T1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundE(ref Vector512<uint> d, Vector512<uint> e, Vector512<uint> f, Vector512<uint> g, Vector512<uint> h, Vector512<uint> kw) =>
        d += h + kw + Avx512F.TernaryLogic(e, f, g, 0xca)
            + Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), 0x96);
}
