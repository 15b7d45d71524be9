namespace Aviary.Chain;

/// <summary>
/// The SQLite layout of a chain store: one row per block keyed by height (the exact wire fields,
/// messages as a JSON array of strings) and a key/value meta table.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Bumped when the layout changes; a store with another version is moved aside, not guessed at.</summary>
    public const long Version = 1;

    public const string SchemaVersionKey = "schema_version";
    public const string DifficultyKey = "difficulty";

    /// <summary>Height of the top block (-1 for an empty chain), written in the same transaction as the blocks.</summary>
    public const string TipHeightKey = "tip_height";

    /// <summary>Hash of the top block (empty for an empty chain).</summary>
    public const string TipHashKey = "tip_hash";

    /// <summary>
    /// STRICT tables make SQLite refuse a value of the wrong type; the CHECKs are invariants of any
    /// valid block, so a write that breaks one fails its whole transaction. There is deliberately no
    /// index on hash: random 64-character keys made batched appends about five times slower and the
    /// file twice as large, and lookups by hash are served from the chain held in memory.
    /// </summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS blocks (
            height    INTEGER PRIMARY KEY CHECK (height >= 0),
            hash      TEXT    NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
            mined_by  TEXT    NOT NULL,
            nonce     TEXT    NOT NULL,
            messages  TEXT    NOT NULL,
            timestamp INTEGER NOT NULL CHECK (timestamp >= 0)
        ) STRICT;
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        """;

    public static readonly string[] BlockColumns = ["height", "hash", "mined_by", "nonce", "messages", "timestamp"];

    public static readonly string[] MetaColumns = ["key", "value"];

    /// <summary>The six fields, then 1 when each has its declared storage type (checked by SQLite, one call per row).</summary>
    public const string SelectBlocks = """
        SELECT height, hash, mined_by, nonce, messages, timestamp,
               typeof(height) = 'integer' AND typeof(hash) = 'text' AND typeof(mined_by) = 'text'
               AND typeof(nonce) = 'text' AND typeof(messages) = 'text' AND typeof(timestamp) = 'integer'
        FROM blocks ORDER BY height
        """;

    public const string InsertBlock = "INSERT INTO blocks (height, hash, mined_by, nonce, messages, timestamp) VALUES ($height, $hash, $minedBy, $nonce, $messages, $timestamp)";

    public const string DeleteFrom = "DELETE FROM blocks WHERE height >= $height";

    public const string CountFrom = "SELECT count(*) FROM blocks WHERE height >= $height";

    public const string HashAt = "SELECT hash FROM blocks WHERE height = $height";

    public const string SelectMeta = "SELECT key, value FROM meta";

    public const string UpsertMeta = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
}
