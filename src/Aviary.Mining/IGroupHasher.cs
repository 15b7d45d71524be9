namespace Aviary.Mining;

/// <summary>
/// One way of hashing a group of 16 consecutive counters (one fast-word value, lane digits 0–f): the
/// 16-lane, 8-lane and scalar kernels. Static so that the search loop is compiled per kernel and per
/// layout with every call resolved.
/// </summary>
internal interface IGroupHasher
{
    /// <summary>Whether this machine has the instructions the kernel needs.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Bit i set when counter i of the group has a digest whose last word, masked by <paramref name="zeroMask"/>, is zero.</summary>
    static abstract uint Hits<TF>(RoundPlan plan, uint fastWord, uint zeroMask)
        where TF : struct, IFastWord;

    /// <summary>The digest's last word (H7) for each of the group's 16 counters.</summary>
    static abstract void LastWords<TF>(RoundPlan plan, uint fastWord, Span<uint> lastWords)
        where TF : struct, IFastWord;
}
