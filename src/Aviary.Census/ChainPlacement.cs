using Aviary.Protocol;

namespace Aviary.Census;

/// <summary>The chain peers are placed against: its height and the hash at each height.</summary>
public interface IReferenceChain
{
    long Height { get; }

    string? TopHash { get; }

    /// <summary>The hash at <paramref name="height"/>, or null when it cannot be had.</summary>
    Task<string?> HashAtAsync(long height, CancellationToken cancel);
}

/// <summary>A best chain held by peers: hashes fetched from its holders, in turn, and remembered.</summary>
public sealed class PeerReferenceChain(long height, string topHash, IReadOnlyList<PeerQueries> holders) : IReferenceChain
{
    public long Height { get; } = height;

    public string? TopHash { get; } = topHash;

    public async Task<string?> HashAtAsync(long height, CancellationToken cancel)
    {
        if (height == Height - 1)
        {
            return TopHash;
        }

        foreach (var holder in holders)
        {
            var (answered, hash) = await holder.HashAtAsync(height, cancel);
            if (answered && hash is not null)
            {
                return hash;
            }
        }

        return null;
    }
}

/// <summary>
/// Places a peer's claimed chain against a reference chain: the same, a prefix (behind by N), an
/// extension, or a fork at the first height where the hashes differ (found by bisection, about
/// log2(height) GET_BLOCKs to the peer).
/// </summary>
public static class ChainPlacement
{
    public static async Task<ChainPlace> PlaceAsync(long? height, string? hash, IReferenceChain best, PeerQueries peer, CancellationToken cancel)
    {
        if (height is not { } h || h < 1 || hash is null || !Hex.IsHash(hash))
        {
            return new ChainPlace(PlaceKind.NoChain);
        }

        if (best.TopHash is null || best.Height < 1)
        {
            return new ChainPlace(PlaceKind.Unverifiable, Detail: "no best chain to compare with");
        }

        if (h == best.Height && hash == best.TopHash)
        {
            return new ChainPlace(PlaceKind.Same, Lag: 0);
        }

        var shared = Math.Min(h, best.Height);
        if (h < best.Height && await best.HashAtAsync(h - 1, cancel) == hash)
        {
            return new ChainPlace(PlaceKind.Behind, Lag: best.Height - h);
        }

        // Bisect for the highest height whose hashes agree: lo agrees (or is -1), hi disagrees.
        var (answered, top) = h <= best.Height ? (true, hash) : await peer.HashAtAsync(shared - 1, cancel);
        if (!answered)
        {
            return new ChainPlace(PlaceKind.Unverifiable, Detail: $"GET_BLOCK {shared - 1}: no reply");
        }

        if (h > best.Height && top == best.TopHash)
        {
            return new ChainPlace(PlaceKind.Ahead, Lag: h - best.Height);
        }

        long lo = -1;
        var hi = shared - 1;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            var (ok, theirs) = await peer.HashAtAsync(mid, cancel);
            if (!ok || theirs is null)
            {
                return new ChainPlace(PlaceKind.Unverifiable, Detail: $"GET_BLOCK {mid}: {(ok ? "no such block" : "no reply")}");
            }

            var ours = await best.HashAtAsync(mid, cancel);
            if (ours is null)
            {
                return new ChainPlace(PlaceKind.Unverifiable, Detail: $"the best chain's block {mid} could not be fetched");
            }

            if (ours == theirs)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return new ChainPlace(PlaceKind.Fork, Lag: best.Height - h, ForkHeight: hi, Detail: $"{hi} blocks shared, then its own {h - hi}");
    }
}
