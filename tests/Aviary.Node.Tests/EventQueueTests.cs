using Aviary.Node.Core;

using Microsoft.Extensions.Time.Testing;

namespace Aviary.Node.Tests;

public sealed class EventQueueTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void One_shot_events_run_in_time_order_once()
    {
        var queue = new EventQueue(clock);
        var ran = new List<string>();
        queue.After(TimeSpan.FromSeconds(2), () => ran.Add("b"));
        queue.After(TimeSpan.FromSeconds(1), () => ran.Add("a"));
        queue.After(TimeSpan.FromSeconds(2), () => ran.Add("c"));
        Assert.Equal(0, queue.RunDue());
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, queue.RunDue());
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, queue.RunDue());
        Assert.Equal(["a", "b", "c"], ran);
    }

    [Fact]
    public void Recurring_event_runs_each_period_until_cancelled()
    {
        var queue = new EventQueue(clock);
        var count = 0;
        var every = queue.Every(TimeSpan.FromSeconds(30), () => count++);
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            queue.RunDue();
        }

        Assert.Equal(10, count);
        every.Cancel();
        clock.Advance(TimeSpan.FromSeconds(60));
        queue.RunDue();
        Assert.Equal(10, count);
    }

    [Fact]
    public void A_late_host_does_not_replay_missed_periods_in_a_burst()
    {
        var queue = new EventQueue(clock);
        var count = 0;
        queue.Every(TimeSpan.FromSeconds(1), () => count++);
        clock.Advance(TimeSpan.FromSeconds(100));
        queue.RunDue();
        Assert.Equal(1, count);
    }

    [Fact]
    public void Wait_state_times_out_unless_completed()
    {
        var queue = new EventQueue(clock);
        var timedOut = new List<int>();
        var completed = queue.WaitUntil(clock.GetUtcNow() + TimeSpan.FromSeconds(2), () => timedOut.Add(1));
        queue.WaitUntil(clock.GetUtcNow() + TimeSpan.FromSeconds(2), () => timedOut.Add(2));
        completed.Cancel();
        clock.Advance(TimeSpan.FromSeconds(3));
        queue.RunDue();
        Assert.Equal([2], timedOut);
    }

    [Fact]
    public void A_wait_for_answers_continues_once_when_the_last_answer_arrives()
    {
        var queue = new EventQueue(clock);
        var continued = 0;
        var wait = queue.Wait(["a", "b"], clock.GetUtcNow() + TimeSpan.FromSeconds(2), () => continued++);
        Assert.True(wait.Answer("a"));
        Assert.False(wait.Answer("a"));
        Assert.False(wait.Answer("stranger"));
        Assert.Equal(0, continued);
        Assert.True(wait.Answer("b"));
        Assert.Equal(1, continued);
        Assert.False(wait.Waiting);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, queue.RunDue());
        Assert.Equal(1, continued);
    }

    [Fact]
    public void A_wait_for_answers_continues_once_at_its_deadline_with_answers_missing()
    {
        var queue = new EventQueue(clock);
        var continued = 0;
        var wait = queue.Wait(["a", "b"], clock.GetUtcNow() + TimeSpan.FromSeconds(2), () => continued++);
        wait.Answer("a");
        clock.Advance(TimeSpan.FromSeconds(1));
        queue.RunDue();
        Assert.True(wait.Waiting);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.RunDue());
        Assert.Equal(1, continued);
        Assert.Equal(["b"], wait.Awaiting);
        Assert.False(wait.Answer("b"));
        Assert.Equal(1, continued);
    }

    [Fact]
    public void An_abandoned_wait_never_continues()
    {
        var queue = new EventQueue(clock);
        var continued = 0;
        var wait = queue.Wait(["a"], clock.GetUtcNow() + TimeSpan.FromSeconds(2), () => continued++);
        wait.Abandon();
        Assert.False(wait.Answer("a"));
        clock.Advance(TimeSpan.FromSeconds(3));
        queue.RunDue();
        Assert.Equal(0, continued);
    }

    [Fact]
    public void Cancelled_entries_are_compacted_instead_of_filling_the_queue()
    {
        var queue = new EventQueue(clock);
        for (var i = 0; i < EventQueue.MaxPending * 2; i++)
        {
            queue.After(TimeSpan.FromSeconds(1), () => { }).Cancel();
        }

        Assert.True(queue.Count <= EventQueue.MaxPending);
    }
}
