using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>
/// Everything a block holds except its nonce and hash: what a miner searches over. A genesis
/// template has height 0 and no previous hash; any other has both.
/// </summary>
public sealed record BlockTemplate(string? PreviousHash, long Height, string MinedBy, IReadOnlyList<string> Messages, long Timestamp)
{
    /// <summary>A template for a genesis block (height 0, no previous hash).</summary>
    public static BlockTemplate Genesis(string minedBy, IReadOnlyList<string> messages, long timestamp) =>
        new(null, 0, minedBy, messages, timestamp);

    /// <summary>Why this template cannot be mined into a valid block, or null when it can.</summary>
    public string? Problem()
    {
        if (PreviousHash is null && Height != 0)
        {
            return $"height {Height} needs a previous hash; only a genesis (height 0) has none";
        }

        if (PreviousHash is not null && (Height < 1 || !Hex.IsHash(PreviousHash)))
        {
            return Height < 1
                ? $"height {Height} with a previous hash: a block after another has height ≥ 1"
                : "the previous hash is not 64 lowercase hex characters";
        }

        if (Messages.Count is < BlockValidator.MinMessages or > BlockValidator.MaxMessages)
        {
            return $"{Messages.Count} messages: a block holds {BlockValidator.MinMessages} to {BlockValidator.MaxMessages}";
        }

        foreach (var m in Messages)
        {
            if (BlockValidator.CodePoints(m) > BlockValidator.MaxMessageLength)
            {
                return $"message \"{m}\" is longer than {BlockValidator.MaxMessageLength} characters";
            }
        }

        return Timestamp < 0 ? "the timestamp is negative" : null;
    }

    /// <summary>Structural equality, messages compared element by element.</summary>
    public bool Equals(BlockTemplate? other) =>
        other is not null
        && PreviousHash == other.PreviousHash
        && Height == other.Height
        && MinedBy == other.MinedBy
        && Timestamp == other.Timestamp
        && Messages.SequenceEqual(other.Messages);

    public override int GetHashCode() => HashCode.Combine(PreviousHash, Height, MinedBy, Timestamp, Messages.Count);
}
