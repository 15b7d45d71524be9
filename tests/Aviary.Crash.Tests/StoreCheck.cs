using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Crash.Tests;

/// <summary>Opens a killed node's store as the next start would, and holds it to what the node reported.</summary>
internal static class StoreCheck
{
    /// <summary>
    /// Loads <paramref name="dataDirectory"/>'s chain at difficulty 1 (every block verified from
    /// genesis) and asserts that nothing needed repair, that it is a prefix of <paramref name="chain"/>,
    /// and that it holds at least <paramref name="reported"/> blocks. Returns the stored height.
    /// </summary>
    public static long Verify(string dataDirectory, IReadOnlyList<Block> chain, long reported, string context)
    {
        using var store = SqliteChainStore.Open(DataDirectory.ChainDatabase(dataDirectory));
        var stored = store.Load(CrashChain.Difficulty);
        var load = store.LastLoad!;

        // WAL recovery of a killed writer is SQLite's normal path: a clean load means nothing was torn or lost.
        Assert.True(load.IsClean, $"{context}: the store needed repair after a kill: {load.Report}");
        Assert.True(stored.Count <= chain.Count, $"{context}: {stored.Count} blocks stored, the server has {chain.Count}");
        var firstDifferent = Enumerable.Range(0, stored.Count).FirstOrDefault(i => stored[i] != chain[i], -1);
        Assert.True(firstDifferent < 0, $"{context}: stored block {firstDifferent} is not the server's");
        Assert.True(stored.Count >= reported, $"{context}: {stored.Count} blocks stored, below the committed height {reported} the node reported");
        return stored.Count;
    }
}
