using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>
/// Checks a block against its predecessor (protocol.md §8): structure first (so a broken rule is
/// named even when the hash fails too), then the recomputed hash, then the proof of work.
/// </summary>
public static class BlockValidator
{
    /// <summary>The spec's limits on what a block holds.</summary>
    public const int MinMessages = 1;
    public const int MaxMessages = 10;
    public const int MaxMessageLength = 20;
    public const int MaxNonceLength = 39;

    /// <summary>Validates a genesis block (no predecessor; height 0).</summary>
    public static BlockVerdict ValidateGenesis(Block block, int difficulty) => Validate(block, null, difficulty);

    /// <summary>Validates <paramref name="block"/> on top of <paramref name="previous"/> (null for a genesis).</summary>
    public static BlockVerdict Validate(Block block, Block? previous, int difficulty) =>
        Validate(block, previous?.Hash, previous is null ? 0 : previous.Height + 1, difficulty);

    /// <summary>
    /// Validates against a predecessor known only by its hash (null: the block must be a genesis)
    /// and the height expected of this block.
    /// </summary>
    public static BlockVerdict Validate(Block block, string? previousHash, long expectedHeight, int difficulty)
    {
        if (previousHash is null && expectedHeight != 0)
        {
            return new(BlockRule.HeightMismatch, $"no predecessor given, so height must be 0, not {expectedHeight}");
        }

        var structure = CheckStructure(block, expectedHeight);
        if (!structure.IsValid)
        {
            return structure;
        }

        // The previous hash is part of the input exactly when there is one: a genesis has none.
        if (!BlockHasher.Matches(block, previousHash))
        {
            return new(BlockRule.HashMismatch, $"contents hash to {BlockHasher.Compute(block, previousHash)[..16]}…, not the claimed {block.Hash[..16]}…");
        }

        return MeetsDifficulty(block.Hash, difficulty)
            ? BlockVerdict.Ok
            : new(BlockRule.InsufficientWork, $"hash ends in {Hex.TrailingZeros(block.Hash)} zeros, difficulty is {difficulty}");
    }

    /// <summary>The rules that need no hashing: height, hash shape, message and nonce limits.</summary>
    public static BlockVerdict CheckStructure(Block block, long expectedHeight)
    {
        if (block.Height != expectedHeight)
        {
            return new(BlockRule.HeightMismatch, $"height {block.Height}, expected {expectedHeight}");
        }

        if (!Hex.IsHash(block.Hash))
        {
            return new(BlockRule.HashMalformed, $"hash of {block.Hash.Length} characters is not 64 lowercase hex");
        }

        if (block.Messages.Count < MinMessages)
        {
            return new(BlockRule.NoMessages, "a block holds 1 to 10 messages, this one none");
        }

        if (block.Messages.Count > MaxMessages)
        {
            return new(BlockRule.TooManyMessages, $"{block.Messages.Count} messages, at most {MaxMessages}");
        }

        for (var i = 0; i < block.Messages.Count; i++)
        {
            var length = CodePoints(block.Messages[i]);
            if (length > MaxMessageLength)
            {
                return new(BlockRule.MessageTooLong, $"message {i} has {length} characters, at most {MaxMessageLength}");
            }
        }

        var nonceLength = CodePoints(block.Nonce);
        if (nonceLength > MaxNonceLength)
        {
            return new(BlockRule.NonceTooLong, $"nonce has {nonceLength} characters, it must be under 40");
        }

        return block.Timestamp < 0 ? new(BlockRule.BadTimestamp, "timestamp is negative") : BlockVerdict.Ok;
    }

    /// <summary>True when the hex hash ends with at least <paramref name="difficulty"/> ASCII '0's.</summary>
    public static bool MeetsDifficulty(ReadOnlySpan<char> hash, int difficulty) => Hex.TrailingZeros(hash) >= difficulty;

    /// <summary>Length in Unicode code points, as Python's len() counts (protocol.md §8).</summary>
    public static int CodePoints(string s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }
}
