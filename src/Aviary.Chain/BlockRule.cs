namespace Aviary.Chain;

/// <summary>The validity rules a block can break, named after what they check.</summary>
public enum BlockRule
{
    /// <summary>No rule broken.</summary>
    Valid,

    /// <summary>Height is not the predecessor's height + 1 (or not 0 for a genesis).</summary>
    HeightMismatch,

    /// <summary>The claimed hash is not 64 lowercase hex characters.</summary>
    HashMalformed,

    /// <summary>No messages: a block holds 1 to 10.</summary>
    NoMessages,

    /// <summary>More than 10 messages.</summary>
    TooManyMessages,

    /// <summary>A message longer than 20 Unicode code points.</summary>
    MessageTooLong,

    /// <summary>A nonce of 40 or more characters (the spec says "less than 40").</summary>
    NonceTooLong,

    /// <summary>A negative timestamp.</summary>
    BadTimestamp,

    /// <summary>The hash recomputed from the contents (and the predecessor) differs from the claimed one.</summary>
    HashMismatch,

    /// <summary>The hash does not end with D ASCII '0' characters.</summary>
    InsufficientWork,
}

/// <summary>The outcome of validating one block: the rule broken (or <see cref="BlockRule.Valid"/>) and why.</summary>
public readonly record struct BlockVerdict(BlockRule Rule, string Detail)
{
    public static readonly BlockVerdict Ok = new(BlockRule.Valid, "ok");

    public bool IsValid => Rule == BlockRule.Valid;

    public override string ToString() => IsValid ? "OK" : $"{Rule}: {Detail}";
}
