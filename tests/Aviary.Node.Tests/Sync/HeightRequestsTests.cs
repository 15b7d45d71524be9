using Aviary.Node.Sync;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class HeightRequestsTests
{
    /// <summary>A window over [next, end) of <paramref name="size"/> heights, holding the heights in <see cref="Held"/>.</summary>
    private sealed class Window(long next, long end, long size) : IHeightWindow
    {
        public HashSet<long> Held { get; } = [];

        public long Limit => Math.Min(end, next + size);

        public bool Holds(long height) => Held.Contains(height);

        public bool Wants(long height) => height >= next && height < end && !Held.Contains(height);
    }

    private readonly List<(PeerAddress Peer, long Height)> sent = [];

    private HeightRequests Tracker() => new((p, h) => sent.Add((p, h)));

    [Fact]
    public void New_heights_come_from_the_cursor_within_the_window_skipping_held_and_in_flight_ones()
    {
        var requests = Tracker();
        var window = new Window(10, 100, 5) { Held = { 11 } };
        var peer = Peer(1);
        requests.StartAt(10);
        requests.Send(peer, 12, 1, Now);
        var heights = new List<long>();
        while (requests.NextHeight(window, out var h, out var avoid))
        {
            Assert.Null(avoid);
            heights.Add(h);
        }

        Assert.Equal([10L, 13, 14], heights);
    }

    [Fact]
    public void Retries_come_first_and_those_no_longer_wanted_are_dropped()
    {
        var requests = Tracker();
        var window = new Window(10, 100, 50) { Held = { 20 } };
        var a = Peer(1);
        requests.StartAt(30);
        requests.Retry(5, a);  // verified already
        requests.Retry(20, a); // held
        requests.Retry(25, a);
        requests.Retry(26, null);
        Assert.True(requests.NextHeight(window, out var h, out var avoid));
        Assert.Equal((25L, a), (h, avoid));
        Assert.Equal(1, requests.RetryCount);
        Assert.True(requests.NextHeight(window, out h, out avoid));
        Assert.Equal((26L, (DownloadPeer?)null), (h, avoid));
        Assert.True(requests.NextHeight(window, out h, out _));
        Assert.Equal(30, h);
    }

    [Fact]
    public void Without_a_window_every_retry_is_wanted_and_nothing_new_is_asked()
    {
        var requests = Tracker();
        requests.Retry(7, null);
        Assert.True(requests.NextHeight(null, out var h, out _));
        Assert.Equal(7, h);
        Assert.False(requests.NextHeight(null, out _, out _));
    }

    [Fact]
    public void Sending_counts_requests_and_retransmissions_and_an_answer_frees_the_peer()
    {
        var requests = Tracker();
        var peer = Peer(1);
        requests.Send(peer, 3, 1, Now);
        requests.Send(peer, 4, 2, Now);
        Assert.Equal([(P(1), 3L), (P(1), 4L)], sent);
        Assert.Equal((2, 2L, 1L), (peer.InFlight, requests.Requests, requests.Retransmissions));
        Assert.True(requests.TryGet(4, out var asked));
        Assert.Equal(2, asked.Attempts);
        requests.Answered(4, peer);
        Assert.Equal(1, peer.InFlight);
        Assert.False(requests.IsInFlight(4));
        Assert.Empty(requests.Check([peer], 10));
    }

    [Fact]
    public void A_null_reply_frees_the_oldest_request_of_that_peer_for_a_retry()
    {
        var requests = Tracker();
        var a = Peer(1);
        var b = Peer(2);
        requests.Send(b, 1, 1, Now);
        requests.Send(a, 2, 1, Now.AddMilliseconds(1));
        requests.Send(a, 3, 1, Now);
        Assert.Equal(3, requests.FreeOldest(a));
        Assert.Equal(2, requests.FreeOldest(a));
        Assert.Null(requests.FreeOldest(a));
        Assert.Equal(2, requests.RetryCount);
        Assert.Empty(requests.Check([a, b], 10));
    }

    [Fact]
    public void Requeueing_a_peer_takes_back_all_its_requests()
    {
        var requests = Tracker();
        var a = Peer(1);
        var b = Peer(2);
        requests.Send(a, 1, 1, Now);
        requests.Send(b, 2, 1, Now);
        requests.Send(a, 3, 1, Now);
        a.Excluded = true;
        requests.RequeueAll(a);
        Assert.Equal((0, 1, 2), (a.InFlight, requests.Count, requests.RetryCount));
        Assert.Empty(requests.Check([a, b], 10));
    }

    [Fact]
    public void Expired_requests_are_retried_and_a_peer_that_never_answered_is_excluded_after_three_loss_events()
    {
        var limits = new SyncLimits();
        var requests = Tracker();
        var silent = Peer(1, limits);
        var at = Now;
        for (var loss = 1; loss <= limits.StallAfter; loss++)
        {
            requests.Send(silent, loss, 1, at);
            at += silent.Timeout + TimeSpan.FromMilliseconds(1);
            requests.Expire(at, limits.StallAfter);
            Assert.Equal(loss, silent.LossEvents);
            Assert.Equal(loss == limits.StallAfter, silent.Excluded);
        }

        Assert.Equal(0, requests.Count);
        Assert.Equal(limits.StallAfter, requests.RetryCount);
        Assert.Empty(requests.Check([silent], 10));
    }

    [Fact]
    public void Requests_within_their_timeout_stay_in_flight()
    {
        var requests = Tracker();
        var peer = Peer(1);
        requests.Send(peer, 1, 1, Now);
        requests.Expire(Now + peer.Timeout, 3);
        Assert.True(requests.IsInFlight(1));
        Assert.Equal(0, peer.Timeouts);
    }

    [Fact]
    public void The_self_check_reports_counts_that_do_not_match_and_requests_to_excluded_peers()
    {
        var requests = Tracker();
        var peer = Peer(1);
        requests.Send(peer, 12, 1, Now);
        peer.InFlight = 3;
        peer.Excluded = true;
        var problems = requests.Check([peer], 10, h => h == 12);
        Assert.Equal(4, problems.Count);
    }
}
