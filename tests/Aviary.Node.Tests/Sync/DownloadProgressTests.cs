using Aviary.Node.Sync;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class DownloadProgressTests
{
    private static readonly SyncLimits Limits = new();

    [Fact]
    public void Nothing_delivered_and_nothing_verified_for_the_give_up_time_is_a_stall()
    {
        var progress = new DownloadProgress(Limits, Now);
        Assert.Null(progress.Stalled(Now + Limits.GiveUpAfter, Now));
        Assert.NotNull(progress.Stalled(Now + Limits.GiveUpAfter + TimeSpan.FromTicks(1), Now));
    }

    [Fact]
    public void A_slow_peer_that_keeps_delivering_is_followed_until_the_verified_tip_is_stuck_too_long()
    {
        var progress = new DownloadProgress(Limits, Now);
        var at = Now;
        while (at - Now <= Limits.VerifiedStallLimit)
        {
            Assert.Null(progress.Stalled(at, Now));
            at += TimeSpan.FromSeconds(10);
            progress.Deliver(at);
        }

        Assert.Contains("no block verified", progress.Stalled(at, Now));
        Assert.True(progress.Delivered > 10);
    }
}
