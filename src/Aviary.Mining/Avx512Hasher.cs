using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aviary.Mining;

/// <summary>
/// The 16-lane AVX-512 kernel: one <see cref="Vector512{T}"/> lane per lane digit. Rounds before the fast
/// word come from the plan; the rest are fully unrolled with the schedule computed on the fly, constant
/// schedule words and constant inputs read from the plan, and the last three rounds dropped (H7 is the
/// e of round 60). The hot path uses ISA intrinsics and a handful of small helpers, few enough that the
/// JIT inlines them all however large the method is.
/// </summary>
[SimdKernel("Avx512")]
internal readonly partial struct Avx512Hasher : IGroupHasher
{
    public static bool IsSupported => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hits<TF>(RoundPlan plan, uint fastWord, uint zeroMask)
        where TF : struct, IFastWord
    {
        var last = LastWord<TF>(plan, fastWord, 0);
        return (uint)Vector512.Equals(last & Vector512.Create(zeroMask), Vector512<uint>.Zero).ExtractMostSignificantBits();
    }

    public static void LastWords<TF>(RoundPlan plan, uint fastWord, Span<uint> lastWords)
        where TF : struct, IFastWord => LastWord<TF>(plan, fastWord, 0).CopyTo(lastWords);
}
