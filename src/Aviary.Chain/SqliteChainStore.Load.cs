using System.Diagnostics;

using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain;

/// <summary>Loading: scan and verify, then repair in place or rebuild in a fresh file.</summary>
public sealed partial class SqliteChainStore
{
    /// <summary>
    /// Reads the chain from genesis, verifies every block (link, proof of work at
    /// <paramref name="difficulty"/>, structure) and returns the longest valid prefix. Damage is
    /// repaired and described in <see cref="LastLoad"/>: blocks above the first bad one are deleted in
    /// one transaction; a file SQLite cannot read, reports damaged, or that belongs to another schema or
    /// difficulty is moved aside (<c>chain.db.corrupt-N</c>, <c>chain.db.difficulty-D-N</c>) and the
    /// valid prefix read from it, if any, is written to a fresh file. Never returns a broken chain.
    /// </summary>
    public IReadOnlyList<Block> Load(int difficulty)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(difficulty);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, 64);
        var started = Stopwatch.GetTimestamp();
        CloseConnection();
        try
        {
            var scan = ScanFile(difficulty);
            string? movedTo = null;
            if (scan.SetAsideFor is { } reason || !TryRepairInPlace(scan, difficulty))
            {
                movedTo = Rebuild(scan, scan.SetAsideFor ?? StoreDamage.Malformed, difficulty);
            }

            writer = new SqliteBlockWriter(connection!);
            count = scan.Valid.Count;
            LastLoad = new ChainLoadOutcome(count, scan.Dropped, scan.Findings, movedTo, Stopwatch.GetElapsedTime(started));
            return scan.Valid;
        }
        catch (SqliteException e)
        {
            CloseConnection();
            throw new ChainStoreException($"cannot use {DatabasePath}: {e.Message}", e);
        }
    }

    private ChainScan ScanFile(int difficulty)
    {
        ChainScan scan;
        try
        {
            connection = OpenConnection();
            scan = StoreScanner.Scan(connection, null, difficulty, integrityCheck: true);
        }
        catch (SqliteException e) when (StoreScanner.IsDamage(e))
        {
            // The header itself is unreadable (PRAGMA journal_mode touches it first).
            scan = new ChainScan();
            scan.SetAside(StoreScanner.DamageFinding(e));
        }

        if (scan.SetAsideFor == StoreDamage.Malformed && scan.Valid.Count == 0)
        {
            Salvage(scan, difficulty);
        }

        return scan;
    }

    /// <summary>
    /// A truncated file fails every statement: SQLite refuses a file shorter than its header says.
    /// With writable_schema on, SQLite reads the pages that are there instead, so the blocks before the
    /// cut can be carried over. The connection is read-only: nothing is written to the damaged file.
    /// Best effort: if SQLite still cannot read anything, there is nothing to salvage.
    /// </summary>
    private void Salvage(ChainScan scan, int difficulty)
    {
        using var db = OpenReadOnly(DatabasePath);
        try
        {
            db.Open();
            Execute(db, "PRAGMA writable_schema = ON");
            var salvaged = StoreScanner.Scan(db, null, difficulty, integrityCheck: false);
            if (salvaged.SetAsideFor is null or StoreDamage.Malformed)
            {
                scan.Valid.AddRange(salvaged.Valid);
                scan.Meta = salvaged.Meta;
                salvaged.Findings.ForEach(scan.Add);
            }
        }
        catch (SqliteException)
        {
            // Nothing more can be read; the store starts from what was already kept (nothing).
        }
    }

    /// <summary>
    /// Deletes rows above the valid prefix and rewrites meta entries that are wrong, in one
    /// transaction (nothing to do for a sound store). False if SQLite reports damage while doing it.
    /// </summary>
    private bool TryRepairInPlace(ChainScan scan, int difficulty)
    {
        var db = connection!;
        var meta = scan.Meta;
        var top = scan.Valid.Count == 0 ? string.Empty : scan.Valid[^1].Hash;
        var needsHeader = meta.SchemaVersion != SqliteSchema.Version || meta.Difficulty != difficulty;
        var needsTip = meta.TipHeight != scan.Valid.Count - 1 || meta.TipHash != top;
        if (!scan.StoppedEarly && !needsHeader && !needsTip)
        {
            return true;
        }

        try
        {
            using var w = new SqliteBlockWriter(db);
            using var transaction = db.BeginTransaction(deferred: false);
            w.CreateSchema(transaction);
            if (scan.StoppedEarly)
            {
                w.DeleteFrom(transaction, scan.Valid.Count);
            }

            w.SetHeader(transaction, difficulty);
            w.SetTip(transaction, scan.Valid.Count, top);
            transaction.Commit();
            return true;
        }
        catch (SqliteException e) when (StoreScanner.IsDamage(e))
        {
            scan.SetAside(StoreScanner.DamageFinding(e));
            return false;
        }
    }

    /// <summary>
    /// Moves the file aside and writes the valid prefix to a fresh one in one transaction. A crash
    /// between the two leaves an empty store (the data stays in the moved file), never a broken one.
    /// </summary>
    private string Rebuild(ChainScan scan, StoreDamage reason, int difficulty)
    {
        CloseConnection();
        var movedTo = MoveAside(reason == StoreDamage.DifficultyChanged ? $"difficulty-{scan.Meta.Difficulty}" : "corrupt");
        connection = OpenConnection();
        using var w = new SqliteBlockWriter(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        w.CreateSchema(transaction);
        w.SetHeader(transaction, difficulty);
        w.Insert(transaction, scan.Valid);
        w.SetTip(transaction, scan.Valid.Count, scan.Valid.Count == 0 ? null : scan.Valid[^1].Hash);
        transaction.Commit();
        return movedTo;
    }

    /// <summary>Renames the database (and its -wal and -shm files) to the first free <c>NAME.LABEL-N</c>.</summary>
    private string MoveAside(string label)
    {
        for (var n = 1; ; n++)
        {
            var target = $"{DatabasePath}.{label}-{n}";
            if (File.Exists(target) || File.Exists(target + "-wal"))
            {
                continue;
            }

            try
            {
                if (File.Exists(DatabasePath))
                {
                    File.Move(DatabasePath, target);
                }

                foreach (var suffix in (string[])["-wal", "-shm"])
                {
                    if (File.Exists(DatabasePath + suffix))
                    {
                        File.Move(DatabasePath + suffix, target + suffix, overwrite: true);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ChainStoreException($"{DatabasePath} is damaged and cannot be moved aside to {target}: {e.Message}", e);
            }

            return target;
        }
    }
}
