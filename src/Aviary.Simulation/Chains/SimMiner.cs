using System.Globalization;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Simulation.Chains;

/// <summary>
/// Mines blocks on the spot at a tiny difficulty (about 16 hashes per block at difficulty 1), and
/// makes blocks that break exactly one rule, for the adversaries.
/// </summary>
public static class SimMiner
{
    /// <summary>Timestamp of a simulated genesis; later blocks are a minute apart.</summary>
    public const long GenesisTime = 1_764_000_000;

    /// <summary>The next block on <paramref name="previous"/> (null: a genesis) whose hash meets <paramref name="difficulty"/>.</summary>
    public static Block Mine(Block? previous, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty) =>
        MineAt(previous?.Height + 1 ?? 0, previous?.Hash, minedBy, messages, timestamp, difficulty, string.Empty);

    /// <summary>A block at <paramref name="height"/> on top of <paramref name="previousHash"/> whose hash meets <paramref name="difficulty"/>; nonces start with <paramref name="noncePrefix"/>.</summary>
    public static Block MineAt(long height, string? previousHash, string minedBy, IReadOnlyList<string> messages, long timestamp, int difficulty, string noncePrefix)
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

    /// <summary>A block at <paramref name="height"/> on <paramref name="previousHash"/> that breaks <paramref name="kind"/> and nothing else it can avoid.</summary>
    public static Block Invalid(BadBlock kind, long height, string? previousHash, string minedBy, long timestamp, int difficulty)
    {
        switch (kind)
        {
            case BadBlock.HashMismatch:
                {
                    var good = MineAt(height, previousHash, minedBy, ["forged"], timestamp, difficulty, string.Empty);
                    // A claimed hash that looks like work (ends in zeros) but is not the contents' hash.
                    return good with { Hash = string.Concat(good.Hash.AsSpan(8, 56), "00000000") };
                }

            case BadBlock.InsufficientWork:
                for (var nonce = 0L; ; nonce++)
                {
                    var candidate = new Block(height, minedBy, nonce.ToString(CultureInfo.InvariantCulture), ["lazy"], string.Empty, timestamp);
                    var hash = BlockHasher.Compute(candidate, previousHash);
                    if (Hex.TrailingZeros(hash) < difficulty)
                    {
                        return candidate with { Hash = hash };
                    }
                }

            case BadBlock.TooManyMessages:
                return MineAt(height, previousHash, minedBy, [.. Enumerable.Range(0, BlockValidator.MaxMessages + 1).Select(i => $"m{i}")], timestamp, difficulty, string.Empty);
            case BadBlock.MessageTooLong:
                return MineAt(height, previousHash, minedBy, [new string('x', BlockValidator.MaxMessageLength + 1)], timestamp, difficulty, string.Empty);
            case BadBlock.NonceTooLong:
                return MineAt(height, previousHash, minedBy, ["long nonce"], timestamp, difficulty, new string('n', BlockValidator.MaxNonceLength + 1));
            case BadBlock.WrongParent:
                return MineAt(height, new string('a', 63) + "0", minedBy, ["orphan"], timestamp, difficulty, string.Empty);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such kind of bad block");
        }
    }
}

/// <summary>The one rule a forged block breaks.</summary>
public enum BadBlock
{
    /// <summary>Claims a hash (ending in zeros) that is not the hash of its contents.</summary>
    HashMismatch,

    /// <summary>Its real hash does not meet the difficulty.</summary>
    InsufficientWork,

    /// <summary>Eleven messages.</summary>
    TooManyMessages,

    /// <summary>A 21-character message.</summary>
    MessageTooLong,

    /// <summary>A nonce of 40 or more characters.</summary>
    NonceTooLong,

    /// <summary>Mined properly, but on top of a block that is not its predecessor.</summary>
    WrongParent,
}
