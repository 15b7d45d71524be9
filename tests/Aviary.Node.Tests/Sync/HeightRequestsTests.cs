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
        requests.Answered(4, asked, bySender: true, Now);
        Assert.Equal(1, peer.InFlight);
        Assert.False(requests.IsInFlight(4));
        Assert.Empty(requests.Check([peer], 10));
    }

    [Fact]
    public void An_answer_to_a_later_request_gives_up_on_those_sent_well_before_it_fast_retransmit()
    {
        var requests = Tracker();
        var a = Peer(1);
        var b = Peer(2);
        for (var h = 10; h < 16; h++)
        {
            requests.Send(a, h, 1, Now);
        }

        requests.Send(b, 16, 1, Now);
        var capacity = a.Capacity;
        Assert.True(requests.TryGet(14, out var asked));

        // 14 was the 5th request to a: the 1st and 2nd (10, 11) are 3 or more behind it, so presumed
        // lost; 12 and 13 may still be on their way. b's request is not a's business.
        requests.Answered(14, asked, bySender: true, Now.AddMilliseconds(5));

        Assert.Equal(2, requests.Overtaken);
        Assert.False(requests.IsInFlight(10) || requests.IsInFlight(11) || requests.IsInFlight(14));
        Assert.True(requests.IsInFlight(12) && requests.IsInFlight(13) && requests.IsInFlight(15) && requests.IsInFlight(16));
        Assert.Equal(3, a.InFlight);
        Assert.Equal(2, requests.RetryCount);
        Assert.True(requests.NextHeight(null, out var first, out var avoid));
        Assert.Equal((10L, a), (first, avoid));
        Assert.Equal(capacity / 2, a.Capacity);
        Assert.Equal(1, a.LossEvents);
        Assert.Equal(0, a.ConsecutiveLosses);
        Assert.Empty(requests.Check([a, b], 100));
    }

    [Fact]
    public void An_answer_from_someone_else_or_a_request_already_retried_gives_up_on_nothing()
    {
        var requests = Tracker();
        var a = Peer(1);
        for (var h = 0; h < 8; h++)
        {
            requests.Send(a, h, 1, Now);
        }

        // Height 0 was retried and asked of a again: its first request's place in a's order no longer counts.
        Assert.True(requests.TryGet(0, out var first));
        requests.Answered(0, first, bySender: false, Now);
        requests.Send(a, 0, 2, Now);
        Assert.True(requests.TryGet(6, out var sixth));
        requests.Answered(6, sixth, bySender: false, Now);
        Assert.Equal(0, requests.Overtaken);

        Assert.True(requests.TryGet(7, out var seventh));
        requests.Answered(7, seventh, bySender: true, Now);

        // 1..4 sat 3 or more before 7 in a's order; 0's new request came after 7, and 5 is close enough.
        Assert.Equal(4, requests.Overtaken);
        Assert.True(requests.IsInFlight(0) && requests.IsInFlight(5));
        Assert.Empty(requests.Check([a], 100));
    }

    [Fact]
    public void A_request_presumed_lost_then_answered_by_its_peer_raises_that_peers_tolerance()
    {
        var requests = Tracker();
        var a = Peer(1);
        for (var h = 0; h < 6; h++)
        {
            requests.Send(a, h, 1, Now);
        }

        Assert.True(requests.TryGet(5, out var last));
        requests.Answered(5, last, bySender: true, Now);
        Assert.Equal(3, requests.Overtaken); // 0, 1, 2: 5, 4 and 3 requests behind
        Assert.Equal(3, a.ReorderTolerance);

        // 0 was only late: the tolerance now covers the 5 requests it was behind.
        requests.NoteReply(0, a);
        Assert.Equal((1L, 6), (requests.OvertakenAnswered, a.ReorderTolerance));

        // 1 was retried and is asked of a again: its answer is ambiguous and changes nothing.
        requests.Send(a, 1, 2, Now);
        requests.NoteReply(1, a);
        Assert.Equal((1L, 6), (requests.OvertakenAnswered, a.ReorderTolerance));

        // An answer to a retry infers nothing (Karn's rule).
        for (var h = 10; h < 30; h++)
        {
            requests.Send(a, h, 1, Now);
        }

        requests.Send(a, 40, 2, Now);
        Assert.True(requests.TryGet(40, out var retry));
        requests.Answered(40, retry, bySender: true, Now);
        Assert.Equal(3, requests.Overtaken);
    }

    [Fact]
    public void A_peers_tolerance_is_capped()
    {
        var a = Peer(1);
        a.Reordered(100_000);
        Assert.Equal(new SyncLimits().MaxReorderTolerance, a.ReorderTolerance);
        a.Reordered(2);
        Assert.Equal(new SyncLimits().MaxReorderTolerance, a.ReorderTolerance);
    }

    [Fact]
    public void A_peers_send_order_is_capped()
    {
        var order = new SendOrder();
        for (var h = 0; h < SendOrder.Capacity + 10; h++)
        {
            order.Add(h);
        }

        Assert.Equal(SendOrder.Capacity, order.Count);
        Assert.True(order.TryTakeBefore(long.MaxValue, out var sequence, out var height));
        Assert.Equal((11L, 10L), (sequence, height));
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
