using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// One implementation of the nonce search (a SIMD width and instruction set). Every tier tries the
/// same counters in the same order, so for a given range they all return the same block.
/// </summary>
public interface IHashTier
{
    /// <summary>Short name: <c>avx512</c>, <c>avx2-vl</c>, <c>avx2</c> or <c>scalar</c>.</summary>
    string Name { get; }

    /// <summary>Counters hashed side by side.</summary>
    int Lanes { get; }

    /// <summary>The instructions this tier needs, for messages when the machine lacks them.</summary>
    string Requirement { get; }

    /// <summary>Whether this machine can run the tier.</summary>
    bool IsSupported { get; }

    /// <summary>Counters a <see cref="Miner"/> thread takes at a time (<see cref="Miner.ChunkSize"/> unless the tier needs larger steps, as a GPU does).</summary>
    ulong ChunkSize => Miner.ChunkSize;

    /// <summary>
    /// Searches counters [<paramref name="startCounter"/>, <paramref name="startCounter"/> + <paramref name="count"/>)
    /// in increasing order and returns the first block valid at <paramref name="difficulty"/> (checked by
    /// <see cref="Aviary.Chain.BlockValidator"/>); null when there is none or the search was cancelled.
    /// Cancellation is noticed within 65,536 attempts.
    /// </summary>
    Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="Search(NonceLayout, ulong, ulong, int, CancellationToken)"/>, laying out <paramref name="template"/> first.</summary>
    Block? Search(BlockTemplate template, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken = default) =>
        Search(NonceLayout.For(template), startCounter, count, difficulty, cancellationToken);
}
