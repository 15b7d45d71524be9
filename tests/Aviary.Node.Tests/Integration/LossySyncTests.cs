using Aviary.Node.Udp;

namespace Aviary.Node.Tests.Integration;

/// <summary>Real UDP on 127.0.0.1: a node syncs 2,000 blocks from three nodes, one dropping 20% of its replies.</summary>
public sealed class LossySyncTests
{
    [Fact]
    public async Task Node_syncs_two_thousand_blocks_from_three_nodes_one_of_them_lossy()
    {
        var chain = TestBlocks.Chain(2000);
        await using var bed = new LoopbackBed(TimeSpan.FromSeconds(60));
        var servers = Enumerable.Range(0, 3)
            .Select(i => bed.Start($"server{i}", chain, [], i, i == 2 ? host => new LossyTransport(host, 0.2, seed: 42) : null))
            .ToList();
        var (host, syncing, _) = bed.Start("syncing", [], [.. servers.Select(s => s.Address)], 9);
        await LoopbackBed.Reaches(syncing, chain.Count).WaitAsync(bed.Stop.Token);
        Assert.Equal((2000L, chain[^1].Hash), await LoopbackBed.OnCoreThread(host, () => (syncing.Chain.Count, syncing.Chain.TopHash)));
    }
}
