using static Aviary.Mining.ScheduleDependence;

namespace Aviary.Mining;

/// <summary>
/// What every attempt sharing the counter digits above the fast word has in common: the state after
/// the fast word's own round f (computed with W[f] = 0: the kernels add W[f] to a and e, the only two
/// variables it reaches), and per later round either K[t] + W[t] (when W[t] does not depend on the fast
/// word) or the sum of W[t]'s constant inputs (when it does). Prepared once per 4,096 or 65,536 attempts
/// by <see cref="Prepare"/>; read by the kernels.
/// </summary>
internal sealed class RoundPlan(NonceLayout layout)
{
    /// <summary>The layout this plan belongs to.</summary>
    public NonceLayout Layout { get; } = layout;

    /// <summary>Working variables a..h after round f = <see cref="NonceLayout.FastWord"/>, less W[f] in a and e.</summary>
    public uint[] State { get; } = new uint[8];

    /// <summary>Per round t after the fast word: K[t] + W[t] for constant words, the constant part of W[t] for varying ones.</summary>
    public uint[] Constants { get; } = new uint[64];

    /// <summary>The last block's words and the schedule words that do not vary (varying entries unused).</summary>
    public uint[] Words { get; } = new uint[64];

    /// <summary>The midstate's H7: added to the final e to give the digest's last word.</summary>
    public uint LastWordIn { get; } = layout.Midstate[7];

    /// <summary>Precomputes everything for the counters whose digits above the fast word spell <paramref name="outer"/>.</summary>
    public void Prepare(ulong outer)
    {
        var w = Words.AsSpan();
        var mask = Layout.VaryingWords;
        var fast = Layout.FastWord;
        Layout.WriteWords(outer, w[..16]);
        w[fast] = 0;
        for (var t = 16; t <= LastWord; t++)
        {
            w[t] = Varies(mask, t) ? 0 : Sha256Scalar.Schedule(w, t);
        }

        Layout.Midstate.CopyTo(State);
        for (var t = 0; t <= fast; t++)
        {
            Sha256Scalar.Round(State, Sha256Constants.K[t] + w[t]);
        }

        for (var t = fast + 1; t <= LastWord; t++)
        {
            Constants[t] = Varies(mask, t) ? ConstantInputs(w, mask, t) : Sha256Constants.K[t] + w[t];
        }
    }

    private static uint ConstantInputs(ReadOnlySpan<uint> w, ulong mask, int t)
    {
        var sum = 0u;
        sum += Varies(mask, t - 2) ? 0 : Sha256Scalar.SmallSigma1(w[t - 2]);
        sum += Varies(mask, t - 7) ? 0 : w[t - 7];
        sum += Varies(mask, t - 15) ? 0 : Sha256Scalar.SmallSigma0(w[t - 15]);
        sum += Varies(mask, t - 16) ? 0 : w[t - 16];
        return sum;
    }
}
