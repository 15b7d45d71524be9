using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>A search that also says how many counters it tried, so a cancelled chunk still counts.</summary>
internal interface ICountingSearch
{
    /// <summary>As <see cref="IHashTier.Search(NonceLayout, ulong, ulong, int, CancellationToken)"/>, with the counters tried.</summary>
    Block? Search(NonceLayout layout, ulong startCounter, ulong count, int difficulty, CancellationToken cancellationToken, out ulong attempts);
}
