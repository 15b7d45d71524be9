using System.Diagnostics;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// The nonce search loop shared by every kernel: walks a counter range one group of 16 at a time,
/// re-prepares the plan whenever the digits above the fast word change (checking cancellation there,
/// at most every 65,536 attempts), and believes a candidate only after the reference hasher and
/// validator agree. Counters are tried in increasing order, so every kernel finds the same first one.
/// </summary>
internal static class SearchDriver
{
    /// <summary>
    /// The first counter in [start, start + count) whose block is valid at <paramref name="difficulty"/>, as a
    /// block; null if none or cancelled. <paramref name="attempts"/>: counters tried, up to the one found or
    /// to where cancellation was noticed.
    /// </summary>
    public static Block? Search<THasher>(NonceLayout layout, ulong start, ulong count, int difficulty, CancellationToken cancellationToken, out ulong attempts)
        where THasher : struct, IGroupHasher
    {
        ArgumentOutOfRangeException.ThrowIfNegative(difficulty);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, Hex.HashLength);
        attempts = 0;
        if (start >= NonceLayout.CounterLimit || count == 0)
        {
            return null;
        }

        var end = start + Math.Min(count, NonceLayout.CounterLimit - start);
        return layout.FastWord switch
        {
            4 => Run<THasher, FastWord4>(layout, start, end, difficulty, cancellationToken, out attempts),
            5 => Run<THasher, FastWord5>(layout, start, end, difficulty, cancellationToken, out attempts),
            6 => Run<THasher, FastWord6>(layout, start, end, difficulty, cancellationToken, out attempts),
            7 => Run<THasher, FastWord7>(layout, start, end, difficulty, cancellationToken, out attempts),
            8 => Run<THasher, FastWord8>(layout, start, end, difficulty, cancellationToken, out attempts),
            9 => Run<THasher, FastWord9>(layout, start, end, difficulty, cancellationToken, out attempts),
            10 => Run<THasher, FastWord10>(layout, start, end, difficulty, cancellationToken, out attempts),
            11 => Run<THasher, FastWord11>(layout, start, end, difficulty, cancellationToken, out attempts),
            12 => Run<THasher, FastWord12>(layout, start, end, difficulty, cancellationToken, out attempts),
            13 => Run<THasher, FastWord13>(layout, start, end, difficulty, cancellationToken, out attempts),
            _ => throw new UnreachableException($"no layout puts the fast word at {layout.FastWord}"),
        };
    }

    /// <summary>The digest's last word for the 16 counters of the group that <paramref name="counter"/> is in, as the kernel computes it.</summary>
    public static void LastWords<THasher>(NonceLayout layout, ulong counter, Span<uint> lastWords)
        where THasher : struct, IGroupHasher
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(counter, NonceLayout.CounterLimit);
        switch (layout.FastWord)
        {
            case 4: Group<THasher, FastWord4>(layout, counter, lastWords); break;
            case 5: Group<THasher, FastWord5>(layout, counter, lastWords); break;
            case 6: Group<THasher, FastWord6>(layout, counter, lastWords); break;
            case 7: Group<THasher, FastWord7>(layout, counter, lastWords); break;
            case 8: Group<THasher, FastWord8>(layout, counter, lastWords); break;
            case 9: Group<THasher, FastWord9>(layout, counter, lastWords); break;
            case 10: Group<THasher, FastWord10>(layout, counter, lastWords); break;
            case 11: Group<THasher, FastWord11>(layout, counter, lastWords); break;
            case 12: Group<THasher, FastWord12>(layout, counter, lastWords); break;
            case 13: Group<THasher, FastWord13>(layout, counter, lastWords); break;
            default: throw new UnreachableException($"no layout puts the fast word at {layout.FastWord}");
        }
    }

    /// <summary>The mask of H7 bits that must be zero: 4 per '0' digit, all 32 from difficulty 8 on.</summary>
    public static uint ZeroMask(int difficulty) => difficulty >= 8 ? uint.MaxValue : (1u << (4 * difficulty)) - 1;

    private static Block? Run<THasher, TF>(NonceLayout layout, ulong start, ulong end, int difficulty, CancellationToken cancellationToken, out ulong attempts)
        where THasher : struct, IGroupHasher
        where TF : struct, IFastWord
    {
        Debug.Assert(TF.Index == layout.FastWord && TF.Varying == layout.VaryingWords, "kernel compiled for another layout");
        var zeroMask = ZeroMask(difficulty);
        var plan = new RoundPlan(layout);
        var inner = layout.InnerWords;
        var outerShift = 4 * layout.FastDigits;
        var last = end - 1;
        for (var outer = start >> outerShift; outer <= last >> outerShift; outer++)
        {
            var outerBase = outer << outerShift;
            if (cancellationToken.IsCancellationRequested)
            {
                attempts = Math.Max(start, outerBase) - start;
                return null;
            }

            plan.Prepare(outer);
            var firstGroup = (int)((Math.Max(start, outerBase) - outerBase) >> 4);
            var lastGroup = (int)(Math.Min(last, outerBase + (1UL << outerShift) - 1) - outerBase) >> 4;
            for (var g = firstGroup; g <= lastGroup; g++)
            {
                var hits = THasher.Hits<TF>(plan, inner[g], zeroMask);
                if (hits != 0 && Confirm(layout, outerBase + ((ulong)g << 4), hits, start, last, difficulty, out var counter) is { } block)
                {
                    attempts = counter - start + 1;
                    return block;
                }
            }
        }

        attempts = end - start;
        return null;
    }

    private static Block? Confirm(NonceLayout layout, ulong groupBase, uint hits, ulong start, ulong last, int difficulty, out ulong counter)
    {
        for (; hits != 0; hits &= hits - 1)
        {
            counter = groupBase + (ulong)System.Numerics.BitOperations.TrailingZeroCount(hits);
            if (counter < start || counter > last)
            {
                continue;
            }

            var block = layout.BlockFor(counter);
            var template = layout.Template;
            if (BlockValidator.Validate(block, template.PreviousHash, template.Height, difficulty).IsValid)
            {
                return block;
            }
        }

        counter = 0;
        return null;
    }

    private static void Group<THasher, TF>(NonceLayout layout, ulong counter, Span<uint> lastWords)
        where THasher : struct, IGroupHasher
        where TF : struct, IFastWord
    {
        var plan = new RoundPlan(layout);
        plan.Prepare(counter >> (4 * layout.FastDigits));
        var g = (int)(counter >> 4) & (layout.InnerWords.Length - 1);
        THasher.LastWords<TF>(plan, layout.InnerWords[g], lastWords);
    }
}
