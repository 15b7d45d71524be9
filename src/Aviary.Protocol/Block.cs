namespace Aviary.Protocol;

/// <summary>
/// A block exactly as the wire carries it (GET_BLOCK_REPLY and ANNOUNCE field set, protocol.md §4).
/// Nothing here is verified: <c>Aviary.Chain</c> owns the hash and the validity rules.
/// </summary>
public sealed record Block(
    long Height,
    string MinedBy,
    string Nonce,
    IReadOnlyList<string> Messages,
    string Hash,
    long Timestamp)
{
    /// <summary>Structural equality, messages compared element by element.</summary>
    public bool Equals(Block? other) =>
        other is not null
        && Height == other.Height
        && Timestamp == other.Timestamp
        && MinedBy == other.MinedBy
        && Nonce == other.Nonce
        && Hash == other.Hash
        && Messages.SequenceEqual(other.Messages);

    public override int GetHashCode() => HashCode.Combine(Height, Hash, Nonce, Timestamp);
}
