using Aviary.Chain;
using Aviary.Node.Sync;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Sync;

/// <summary>Small helpers for the sync parts' unit tests: peers, a local chain, a fixed time.</summary>
internal static class SyncFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    public static PeerAddress P(int i) => new($"127.0.0.{10 + i}", 8000 + i);

    public static DownloadPeer Peer(int i, SyncLimits? limits = null, bool claimed = true) => new(P(i), limits ?? new SyncLimits()) { Claimed = claimed };

    public static LocalChain Local(IEnumerable<Block> blocks)
    {
        var store = new InMemoryChainStore();
        store.Append([.. blocks]);
        return new LocalChain(store, TestBlocks.Difficulty);
    }
}
