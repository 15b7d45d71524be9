namespace Aviary.Mining;

/// <summary>The search tiers, fastest first, and the pick for this machine.</summary>
public static class HashTiers
{
    /// <summary>16 lanes of <c>Vector512</c> (AVX-512F rotates and ternary logic).</summary>
    public static IHashTier Avx512 { get; } = new HashTier<Avx512Hasher>("avx512", 16, "AVX-512F");

    /// <summary>8 lanes of <c>Vector256</c> with AVX-512VL rotates and ternary logic.</summary>
    public static IHashTier Avx2Vl { get; } = new HashTier<Avx2VlHasher>("avx2-vl", 8, "AVX2 and AVX-512VL");

    /// <summary>8 lanes of <c>Vector256</c> with plain AVX2 (rotates as two shifts and an or).</summary>
    public static IHashTier Avx2 { get; } = new HashTier<Avx2Hasher>("avx2", 8, "AVX2");

    /// <summary>One counter at a time; runs anywhere.</summary>
    public static IHashTier Scalar { get; } = new HashTier<ScalarHasher>("scalar", 1, "nothing");

    /// <summary>Every tier, fastest first, whether or not this machine supports it.</summary>
    public static IReadOnlyList<IHashTier> All { get; } = [Avx512, Avx2Vl, Avx2, Scalar];

    /// <summary>The fastest tier this machine supports.</summary>
    public static IHashTier Best => All.First(t => t.IsSupported);

    /// <summary>The tier called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static IHashTier? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
