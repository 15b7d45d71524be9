using System.Numerics;

namespace Aviary.Simulation;

/// <summary>
/// The simulator's only source of randomness: a PCG-XSH-RR 32-bit generator (64-bit state, an odd
/// stream increment). Seeded explicitly, never from the clock, so a seed replays a run exactly.
/// Components take their own <see cref="Fork"/> so one component drawing more does not shift another.
/// </summary>
public sealed class SimRandom
{
    private const ulong Multiplier = 6364136223846793005UL;
    private readonly ulong increment;
    private ulong state;

    public SimRandom(ulong seed, ulong stream = 0xda3e39cb94b95bdbUL)
    {
        increment = (stream << 1) | 1;
        NextUInt();
        state += seed;
        NextUInt();
    }

    /// <summary>32 random bits.</summary>
    public uint NextUInt()
    {
        var old = state;
        state = unchecked((old * Multiplier) + increment);
        var xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        return BitOperations.RotateRight(xorShifted, (int)(old >> 59));
    }

    /// <summary>64 random bits.</summary>
    public ulong NextULong() => ((ulong)NextUInt() << 32) | NextUInt();

    /// <summary>A double in [0, 1), 53 bits of precision.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An int in [0, <paramref name="maxExclusive"/>); unbiased (rejection of the short tail).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (uint)maxExclusive;
        var threshold = (0u - bound) % bound;
        while (true)
        {
            var r = NextUInt();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>An int in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>A double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Between(double min, double max) => min + (NextDouble() * (max - min));

    /// <summary>A duration in [<paramref name="min"/>, <paramref name="max"/>), to the tick.</summary>
    public TimeSpan Between(TimeSpan min, TimeSpan max) =>
        max <= min ? min : min + TimeSpan.FromTicks((long)(NextDouble() * (max - min).Ticks));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p > 0 && NextDouble() < p;

    /// <summary>One element of a non-empty list.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fisher–Yates in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A seed for a <see cref="Random"/> handed to code that needs one (the node core).</summary>
    public int NextSeed() => (int)(NextUInt() & int.MaxValue);

    /// <summary>An independent generator seeded from this one.</summary>
    public SimRandom Fork() => new(NextULong(), NextULong());

    /// <summary>A generator fixed by its inputs alone (no shared state): same inputs, same stream.</summary>
    public static SimRandom Derive(ulong seed, ulong a, ulong b) => new(Mix(seed ^ Mix(a + 0x9e3779b97f4a7c15UL)), Mix(b) ^ seed);

    /// <summary>A 64-bit finaliser (SplitMix64's): spreads every input bit over the output.</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94d049bb133111ebUL);
        return z ^ (z >> 31);
    }
}
