using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>A tier backed by the kernel <typeparamref name="THasher"/>.</summary>
internal sealed class HashTier<THasher>(string name, int lanes, string requirement) : IHashTier, IKernelProbe, ICountingSearch
    where THasher : struct, IGroupHasher
{
    public string Name { get; } = name;

    public int Lanes { get; } = lanes;

    public string Requirement { get; } = requirement;

    public bool IsSupported => THasher.IsSupported;

    public Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken = default) =>
        Search(layout, startCounter, count, difficulty, cancellationToken, out _);

    public Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken, out ulong attempts)
    {
        ArgumentNullException.ThrowIfNull(layout);
        EnsureSupported();
        return SearchDriver.Search<THasher>(layout, startCounter, count, difficulty, cancellationToken, out attempts);
    }

    public void LastWords(NonceLayout layout, ulong counter, Span<uint> lastWords)
    {
        EnsureSupported();
        SearchDriver.LastWords<THasher>(layout, counter, lastWords);
    }

    public override string ToString() => Name;

    private void EnsureSupported()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException($"the {Name} mining tier needs {Requirement}, which this machine lacks");
        }
    }
}
