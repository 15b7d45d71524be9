using System.Buffers.Binary;
using System.Numerics;

namespace Aviary.Mining;

/// <summary>
/// Plain one-block-at-a-time SHA-256 pieces: the compression that builds a template's midstate, the
/// message schedule step and the round, shared by the per-template precomputation and the scalar tier.
/// </summary>
internal static class Sha256Scalar
{
    /// <summary>Σ0 of the working variable a.</summary>
    public static uint BigSigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);

    /// <summary>Σ1 of the working variable e.</summary>
    public static uint BigSigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);

    /// <summary>σ0 of the message schedule.</summary>
    public static uint SmallSigma0(uint x) => BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);

    /// <summary>σ1 of the message schedule.</summary>
    public static uint SmallSigma1(uint x) => BitOperations.RotateRight(x, 17) ^ BitOperations.RotateRight(x, 19) ^ (x >> 10);

    /// <summary>Schedule word t (t ≥ 16) from the four words it depends on.</summary>
    public static uint Schedule(ReadOnlySpan<uint> w, int t) => SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];

    /// <summary>
    /// One round on <paramref name="s"/> (a..h in order), with <paramref name="kw"/> = K[t] + W[t].
    /// </summary>
    public static void Round(Span<uint> s, uint kw)
    {
        var (a, b, c, d, e, f, g, h) = (s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
        var t1 = h + BigSigma1(e) + ((e & f) ^ (~e & g)) + kw;
        var t2 = BigSigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
        s[7] = g;
        s[6] = f;
        s[5] = e;
        s[4] = d + t1;
        s[3] = c;
        s[2] = b;
        s[1] = a;
        s[0] = t1 + t2;
    }

    /// <summary>Reads a 64-byte block as 16 big-endian words.</summary>
    public static void ReadWords(ReadOnlySpan<byte> block, Span<uint> words)
    {
        for (var i = 0; i < 16; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * i)..]);
        }
    }

    /// <summary>Compresses one 64-byte block into <paramref name="state"/> (the chaining value, 8 words).</summary>
    public static void Compress(Span<uint> state, ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        ReadWords(block, w);
        for (var t = 16; t < 64; t++)
        {
            w[t] = Schedule(w, t);
        }

        Span<uint> s = stackalloc uint[8];
        state.CopyTo(s);
        for (var t = 0; t < 64; t++)
        {
            Round(s, Sha256Constants.K[t] + w[t]);
        }

        for (var i = 0; i < 8; i++)
        {
            state[i] += s[i];
        }
    }
}
