namespace Aviary.Node.Tests.Integration;

/// <summary>
/// Real UDP on 127.0.0.1, as <c>aviary bench sync</c> runs it: a node syncs from four servers with the
/// default limits, and no server rate-limits it or withholds a block from it. (Servers may withhold
/// STATS_REPLYs from each other until they prove themselves: they learn of one another second-hand.)
/// </summary>
public sealed class LimitsUnderSyncTests
{
    [Fact]
    public async Task A_full_speed_sync_from_four_servers_never_hits_a_limit()
    {
        var chain = TestBlocks.Chain(5000);
        await using var bed = new LoopbackBed(TimeSpan.FromSeconds(90));
        var servers = Enumerable.Range(0, 4).Select(i => bed.Start($"server{i}", chain, [], i)).ToList();
        var (_, syncing, _) = bed.Start("syncing", [], [.. servers.Select(s => s.Address)], 9);
        await LoopbackBed.Reaches(syncing, chain.Count).WaitAsync(bed.Stop.Token);

        for (var i = 0; i < servers.Count; i++)
        {
            var server = servers[i].Core;
            var (limited, withheld, served) = await LoopbackBed.OnCoreThread(servers[i].Host, () => (server.Counters.RateLimited, server.Counters.WithheldByType.GetValueOrDefault("GET_BLOCK_REPLY"), server.Counters.Sent.GetValueOrDefault("GET_BLOCK_REPLY")));
            Assert.Equal(0, limited);
            Assert.Equal(0, withheld);
            // Serving blocks means it answered the syncing node's STATS too (only claimers are asked).
            Assert.True(served > 0, $"server {i} served no block");
        }
    }
}
