using Aviary.Protocol;

namespace Aviary.Node.Tests;

/// <summary>Scripted course peers that are awkward to sync from, for <see cref="TestNetwork"/>.</summary>
internal static class AwkwardPeers
{
    /// <summary>
    /// A peer that reads one datagram per socket: it answers the first datagram it reads, then closes
    /// its socket (dropping everything that arrived meanwhile) and opens a new one after
    /// <paramref name="reopen"/>. A burst of requests gets exactly one answer.
    /// </summary>
    public static void AddOnePerSocket(this TestNetwork net, PeerAddress address, IReadOnlyList<Block> chain, TimeSpan reopen)
    {
        var readyAt = DateTimeOffset.MinValue;
        net.AddScripted(address, (_, m) =>
        {
            var now = net.Clock.GetUtcNow();
            if (now < readyAt)
            {
                return [];
            }

            readyAt = now + reopen;
            return m switch
            {
                Stats => [new StatsReply(chain.Count, chain[^1].Hash)],
                GetBlock { Height: { } h } when h >= 0 && h < chain.Count => [new GetBlockReply(chain[(int)h])],
                GetBlock => [GetBlockReply.Missing],
                _ => [],
            };
        });
    }

    /// <summary>
    /// A peer that serves <paramref name="chain"/> honestly while <paramref name="serving"/> says so for
    /// the height asked, and otherwise stays silent (STATS are always answered).
    /// </summary>
    public static void AddFickle(this TestNetwork net, PeerAddress address, IReadOnlyList<Block> chain, Func<long, bool> serving) =>
        net.AddScripted(address, (_, m) => m switch
        {
            Stats => [new StatsReply(chain.Count, chain[^1].Hash)],
            GetBlock { Height: { } h } when h >= 0 && h < chain.Count && serving(h) => [new GetBlockReply(chain[(int)h])],
            _ => [],
        });
}
