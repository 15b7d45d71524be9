namespace Aviary.Mining;

/// <summary>
/// Marks a partial struct whose unrolled SHA-256 kernel (LastWord and its round pieces) the generator in
/// src/Aviary.Mining.Generators writes from Kernels/Sha256Kernel.template for one instruction set:
/// "Avx512", "Avx2Vl" (AVX2 with AVX-512VL rotates and ternary logic) or "Avx2".
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
internal sealed class SimdKernelAttribute(string isa) : Attribute
{
    /// <summary>The instruction set the kernel is written for.</summary>
    public string Isa { get; } = isa;
}
