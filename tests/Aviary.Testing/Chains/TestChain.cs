using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Testing;

/// <summary>
/// The one way tests mine a valid chain: a plain nonce search (0, 1, 2… after an optional prefix) at a
/// tiny difficulty, with the miner name, messages and timestamps a test project asks for. The same
/// settings always give the same blocks.
/// </summary>
public sealed record TestChain
{
    /// <summary>Who mined each block.</summary>
    public string MinedBy { get; init; } = "test";

    /// <summary>Trailing '0's each hash needs (1: about 16 hashes per block).</summary>
    public int Difficulty { get; init; } = 1;

    /// <summary>The genesis timestamp; the block at height h gets this plus h.</summary>
    public long FirstTimestamp { get; init; } = 1_700_000_000;

    /// <summary>The messages of the block at a height.</summary>
    public Func<long, IReadOnlyList<string>> Messages { get; init; } = h => [$"w{h}"];

    /// <summary>What each tried nonce starts with (before its decimal counter).</summary>
    public string NoncePrefix { get; init; } = string.Empty;

    /// <summary><paramref name="count"/> blocks from a genesis.</summary>
    public List<Block> Mine(int count) => After(null, count);

    /// <summary><paramref name="prefix"/> followed by <paramref name="count"/> new blocks on its top.</summary>
    public List<Block> Extend(IReadOnlyList<Block> prefix, int count) => [.. prefix, .. After(prefix.Count == 0 ? null : prefix[^1], count)];

    /// <summary><paramref name="count"/> new blocks on top of <paramref name="parent"/> (null: from a genesis), without the parent.</summary>
    public List<Block> After(Block? parent, int count)
    {
        var blocks = new List<Block>(count);
        var previous = parent;
        for (var i = 0; i < count; i++)
        {
            previous = Next(previous);
            blocks.Add(previous);
        }

        return blocks;
    }

    /// <summary>The block after <paramref name="previous"/> (null: a genesis) with this chain's settings.</summary>
    public Block Next(Block? previous)
    {
        var height = previous is null ? 0 : previous.Height + 1;
        return MineBlock(height, previous?.Hash, MinedBy, Messages(height), FirstTimestamp + height, Difficulty, NoncePrefix);
    }

    /// <summary>The first block (nonce <paramref name="noncePrefix"/> + 0, 1, 2…) whose hash meets <paramref name="difficulty"/>.</summary>
    public static Block MineBlock(long height, string? previousHash, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, string noncePrefix = "")
    {
        for (var nonce = 0L; ; nonce++)
        {
            var candidate = new Block(height, minedBy, noncePrefix + nonce.ToString(CultureInfo.InvariantCulture), messages, string.Empty, timestamp);
            var hash = BlockHasher.Compute(candidate, previousHash);
            if (BlockValidator.MeetsDifficulty(hash, difficulty))
            {
                return candidate with { Hash = hash };
            }
        }
    }
}
