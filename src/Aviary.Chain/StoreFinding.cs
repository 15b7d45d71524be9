namespace Aviary.Chain;

/// <summary>The kinds of damage a chain store can find when it loads.</summary>
public enum StoreDamage
{
    /// <summary>SQLite cannot read the file as a database at all (not a database, or an unreadable header).</summary>
    NotADatabase,

    /// <summary>SQLite reports the file damaged (an integrity check failed or a page could not be read), for example after truncation.</summary>
    Malformed,

    /// <summary>The tables are not the ones this version of Aviary writes (another program's file, or a newer schema).</summary>
    UnknownSchema,

    /// <summary>The chain was stored for another difficulty, so it belongs to another network.</summary>
    DifficultyChanged,

    /// <summary>A stored row has a field of the wrong type or a messages column that is not a JSON array of strings.</summary>
    BadRow,

    /// <summary>A height is missing: the next stored row is higher than the next expected height.</summary>
    HeightGap,

    /// <summary>A stored block breaks a validity rule on top of its predecessor (hash, proof of work, structure).</summary>
    InvalidBlock,

    /// <summary>The tip recorded in the meta table does not match the stored blocks.</summary>
    TipMismatch,

    /// <summary>An entry of the meta table (schema version, difficulty, tip) is missing or unreadable.</summary>
    MetaMissing,
}

/// <summary>One problem found while loading a store, with what was found in words.</summary>
public sealed record StoreFinding(StoreDamage Kind, string Detail)
{
    public override string ToString() => $"{Kind}: {Detail}";
}
