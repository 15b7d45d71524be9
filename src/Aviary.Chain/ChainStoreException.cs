namespace Aviary.Chain;

/// <summary>
/// A chain store cannot be used at all (its directory is not writable, another process holds it, a
/// damaged file cannot be moved aside). Damage to the stored chain itself never throws: it is repaired
/// and reported by <see cref="IChainStore.Load"/>.
/// </summary>
public sealed class ChainStoreException : Exception
{
    public ChainStoreException()
    {
    }

    public ChainStoreException(string message)
        : base(message)
    {
    }

    public ChainStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
