namespace Aviary.Mining;

/// <summary>
/// Which message-schedule words change from one attempt to the next. Only the fast word of the last
/// block varies (with the counter); a schedule word W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]
/// varies when any of its four inputs does. The others are computed once per fast-word value.
/// </summary>
internal static class ScheduleDependence
{
    /// <summary>The last schedule word the kernels need: round 60 gives the final e, which is H7.</summary>
    public const int LastWord = 60;

    /// <summary>Bit t (0–63) set when W[t] depends on word <paramref name="fastWord"/> of the block.</summary>
    public static ulong VaryingMask(int fastWord)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fastWord);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fastWord, 15);
        var mask = 1UL << fastWord;
        for (var t = 16; t < 64; t++)
        {
            var inputs = (1UL << (t - 2)) | (1UL << (t - 7)) | (1UL << (t - 15)) | (1UL << (t - 16));
            if ((mask & inputs) != 0)
            {
                mask |= 1UL << t;
            }
        }

        return mask;
    }

    /// <summary>True when bit <paramref name="t"/> of <paramref name="mask"/> is set.</summary>
    public static bool Varies(ulong mask, int t) => ((mask >> t) & 1) != 0;
}
