using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aviary.Mining;

/// <summary>
/// The plain AVX2 round and schedule pieces the unrolled kernel is made of. Written with intrinsics
/// only (no helper calls inside), so each round costs the JIT one small inline; the fast-word
/// dependence mask arrives as a constant, so the branches on it fold away when the method is compiled.
/// </summary>
internal readonly partial struct Avx2Hasher
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
            w += (Avx2.Or(Avx2.ShiftRightLogical(w2, 17), Avx2.ShiftLeftLogical(w2, 15)) ^ Avx2.Or(Avx2.ShiftRightLogical(w2, 19), Avx2.ShiftLeftLogical(w2, 13)) ^ Avx2.ShiftRightLogical(w2, 10));
        }

        if (((varying >> (t - 7)) & 1) != 0)
        {
            w += w7;
        }

        if (((varying >> (t - 15)) & 1) != 0)
        {
            w += (Avx2.Or(Avx2.ShiftRightLogical(w15, 7), Avx2.ShiftLeftLogical(w15, 25)) ^ Avx2.Or(Avx2.ShiftRightLogical(w15, 18), Avx2.ShiftLeftLogical(w15, 14)) ^ Avx2.ShiftRightLogical(w15, 3));
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
        var t1 = h + kw + (g ^ (e & (f ^ g)))
            + (Avx2.Or(Avx2.ShiftRightLogical(e, 6), Avx2.ShiftLeftLogical(e, 26)) ^ Avx2.Or(Avx2.ShiftRightLogical(e, 11), Avx2.ShiftLeftLogical(e, 21)) ^ Avx2.Or(Avx2.ShiftRightLogical(e, 25), Avx2.ShiftLeftLogical(e, 7)));
        d += t1;
        h = t1 + ((a & b) | (c & (a | b)))
            + (Avx2.Or(Avx2.ShiftRightLogical(a, 2), Avx2.ShiftLeftLogical(a, 30)) ^ Avx2.Or(Avx2.ShiftRightLogical(a, 13), Avx2.ShiftLeftLogical(a, 19)) ^ Avx2.Or(Avx2.ShiftRightLogical(a, 22), Avx2.ShiftLeftLogical(a, 10)));
    }

    /// <summary>A round whose new a is never read (the last four): only d += T1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundE(ref Vector256<uint> d, Vector256<uint> e, Vector256<uint> f, Vector256<uint> g, Vector256<uint> h, Vector256<uint> kw) =>
        d += h + kw + (g ^ (e & (f ^ g)))
            + (Avx2.Or(Avx2.ShiftRightLogical(e, 6), Avx2.ShiftLeftLogical(e, 26)) ^ Avx2.Or(Avx2.ShiftRightLogical(e, 11), Avx2.ShiftLeftLogical(e, 21)) ^ Avx2.Or(Avx2.ShiftRightLogical(e, 25), Avx2.ShiftLeftLogical(e, 7)));
}
