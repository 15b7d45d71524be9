using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aviary.Mining;

/// <summary>
/// The 8-lane kernel on <see cref="Vector256{T}"/> with AVX-512VL rotates and ternary logic: the same
/// unrolled rounds as <see cref="Avx512Hasher"/>, run twice per group of 16 counters (lane digits 0–7, then 8–f).
/// </summary>
[SimdKernel("Avx2Vl")]
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
}
