namespace Aviary.Mining;

/// <summary>Direct access to a tier's kernel output, so tests can compare it with the reference SHA-256.</summary>
internal interface IKernelProbe
{
    /// <summary>The kernel's digest last word (H7) for the 16 counters of the group that <paramref name="counter"/> is in.</summary>
    void LastWords(NonceLayout layout, ulong counter, Span<uint> lastWords);
}
