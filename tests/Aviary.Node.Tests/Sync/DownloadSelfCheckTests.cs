using Aviary.Node.Sync;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

/// <summary>
/// A download driven through random loss, reordering, null replies, a helper on another chain and
/// offered blocks, with <see cref="BlockDownload.SelfCheck"/> called after every event: the parts'
/// invariants hold throughout, and the download completes.
/// </summary>
public sealed class DownloadSelfCheckTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_invariants_hold_after_every_event_of_a_lossy_reorg(int seed)
    {
        var common = TestBlocks.Chain(50);
        var ours = TestBlocks.Extend(common, 5, "ours");
        var theirs = TestBlocks.Extend(common, 150, "theirs");
        var random = new Random(seed);
        var pending = new List<(PeerAddress Peer, long Height)>();
        var limits = new SyncLimits { Window = 16, InitialPerPeer = 4, MaxPerPeer = 8, CommitBatch = 20 };
        var download = new BlockDownload(new ChainClaim(theirs.Count, theirs[^1].Hash), [P(1), P(2)], [P(3)], Local(ours), limits, Now, (p, h) => pending.Add((p, h)));
        var now = Now;
        download.Start(now);
        Assert.Empty(download.SelfCheck());
        for (var step = 0; step < 50_000 && !download.Finished; step++)
        {
            var roll = random.NextDouble();
            if (roll < 0.3 || pending.Count == 0)
            {
                now += limits.SweepInterval;
                download.OnTick(now);
            }
            else if (roll < 0.33)
            {
                download.Offer(theirs[random.Next(theirs.Count)], now);
            }
            else
            {
                var i = random.Next(pending.Count);
                var (peer, h) = pending[i];
                pending.RemoveAt(i);
                var served = peer == P(3) ? ours : theirs;
                if (random.NextDouble() < 0.1)
                {
                    continue; // lost
                }

                if (h < served.Count)
                {
                    download.OnBlock(peer, served[(int)h], now);
                }
                else
                {
                    download.OnMissing(peer, now);
                }
            }

            download.TakeCommittable();
            Assert.Empty(download.SelfCheck());
        }

        Assert.Equal(DownloadPhase.Complete, download.Phase);
        Assert.Equal(50, download.ForkHeight);
        Assert.Equal(theirs.Skip(50), download.Branch);
        Assert.Empty(download.Misbehaving);
        Assert.Empty(download.SelfCheck());
    }

    [Fact]
    public void A_claimer_without_the_blocks_is_reported_as_a_verdict_and_the_honest_one_completes_the_download()
    {
        var chain = TestBlocks.Chain(40);
        var pending = new Queue<(PeerAddress Peer, long Height)>();
        var download = new BlockDownload(new ChainClaim(chain.Count, chain[^1].Hash), [P(1), P(2)], [], Local(chain.Take(10)), new SyncLimits { Window = 8, InitialPerPeer = 2 }, Now, (p, h) => pending.Enqueue((p, h)));
        download.Start(Now);
        while (pending.TryDequeue(out var r) && !download.Finished)
        {
            if (r.Peer == P(2))
            {
                download.OnMissing(r.Peer, Now);
            }
            else
            {
                download.OnBlock(r.Peer, chain[(int)r.Height], Now);
            }

            Assert.Empty(download.SelfCheck());
        }

        Assert.Equal(DownloadPhase.Complete, download.Phase);
        Assert.Equal(new[] { P(2) }, download.Misbehaving);
        Assert.Contains(download.Verdicts, v => v.Peer == P(2) && v.Kind == VerdictKind.Misbehaved);
    }
}
