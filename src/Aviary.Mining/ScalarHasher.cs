using System.Numerics;

using static Aviary.Mining.ScheduleDependence;

namespace Aviary.Mining;

/// <summary>
/// The portable kernel: one counter at a time, the same shortcuts as the vector kernels (rounds before
/// the fast word and constant schedule words from the plan, rounds 61–63 dropped) in plain loops.
/// </summary>
internal readonly struct ScalarHasher : IGroupHasher
{
    public static bool IsSupported => true;

    public static uint Hits<TF>(RoundPlan plan, uint fastWord, uint zeroMask)
        where TF : struct, IFastWord
    {
        Span<uint> w = stackalloc uint[LastWord + 1];
        plan.Words.AsSpan(0, LastWord + 1).CopyTo(w);
        var lanes = plan.Layout.LaneWords;
        var hits = 0u;
        for (var i = 0; i < lanes.Length; i++)
        {
            if ((Last(plan, w, fastWord | lanes[i]) & zeroMask) == 0)
            {
                hits |= 1u << i;
            }
        }

        return hits;
    }

    public static void LastWords<TF>(RoundPlan plan, uint fastWord, Span<uint> lastWords)
        where TF : struct, IFastWord
    {
        Span<uint> w = stackalloc uint[LastWord + 1];
        plan.Words.AsSpan(0, LastWord + 1).CopyTo(w);
        var lanes = plan.Layout.LaneWords;
        for (var i = 0; i < lanes.Length; i++)
        {
            lastWords[i] = Last(plan, w, fastWord | lanes[i]);
        }
    }

    /// <summary>H7 for one value of the fast word; <paramref name="w"/> holds the plan's words and is overwritten where they vary.</summary>
    private static uint Last(RoundPlan plan, Span<uint> w, uint fastWordValue)
    {
        var fast = plan.Layout.FastWord;
        var mask = plan.Layout.VaryingWords;
        w[fast] = fastWordValue;
        for (var t = 16; t <= LastWord; t++)
        {
            if (Varies(mask, t))
            {
                w[t] = Sha256Scalar.Schedule(w, t);
            }
        }

        var s = plan.State;
        uint a = s[0] + fastWordValue, b = s[1], c = s[2], d = s[3], e = s[4] + fastWordValue, f = s[5], g = s[6], h = s[7];
        var k = Sha256Constants.K;
        for (var t = fast + 1; t <= LastWord; t++)
        {
            var t1 = h + k[t] + w[t] + ((e & f) ^ (~e & g))
                + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25));
            var t2 = ((a & b) ^ (a & c) ^ (b & c))
                + (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        return e + plan.LastWordIn;
    }
}
