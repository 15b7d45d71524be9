namespace Aviary.Node.Tests.Integration;

/// <summary>
/// Real UDP on 127.0.0.1: a node syncs from a Python course peer that reads one datagram per socket,
/// then closes and reopens it (every request queued meanwhile is lost), and is the only peer.
/// </summary>
public sealed class OnePerSocketPeerTests
{
    [Fact]
    public async Task Node_syncs_five_hundred_blocks_from_a_peer_that_reads_one_datagram_per_socket()
    {
        var chain = TestBlocks.Chain(500);
        await using var bed = new LoopbackBed(TimeSpan.FromSeconds(60));
        await using var peer = await PythonPeer.StartAsync("one_per_socket_peer.py", chain, TimeSpan.FromSeconds(90), bed.Stop.Token);
        var (host, syncing, _) = bed.Start("syncing", [], [peer.Address], 9);
        await LoopbackBed.Reaches(syncing, chain.Count).WaitAsync(bed.Stop.Token);
        Assert.Equal((500L, chain[^1].Hash), await LoopbackBed.OnCoreThread(host, () => (syncing.Chain.Count, syncing.Chain.TopHash)));
    }
}
