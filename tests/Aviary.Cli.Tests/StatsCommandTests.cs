namespace Aviary.Cli.Tests;

/// <summary><c>aviary stats</c> against a fake peer on loopback.</summary>
public sealed class StatsCommandTests
{
    private const string TopHash = "caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000";

    [Fact]
    public async Task Prints_the_height_and_top_hash_of_the_reply()
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(
            peer,
            [$$"""{"type": "STATS_REPLY", "height": 4542, "hash": "{{TopHash}}"}"""],
            (o, e, ct) => StatsCommand.RunAsync(peer.Address, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal("""{"type":"STATS"}""", request);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"height 4542, top hash {TopHash}{Environment.NewLine}", outcome.Output);
        Assert.Empty(outcome.Error);
    }

    [Fact]
    public async Task Skips_other_datagrams_before_the_reply()
    {
        using var peer = new FakePeer();
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            ["""{"type":"GOSSIP","host":"127.0.0.1","port":8999,"id":"x","name":"chatty"}""", """{"type":"STATS_REPLY","height":"12","hash":"None"}"""],
            (o, e, ct) => StatsCommand.RunAsync(peer.Address, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"no chain (height 12, hash none){Environment.NewLine}", outcome.Output);
    }

    [Fact]
    public async Task Json_prints_the_reply_exactly_as_received()
    {
        using var peer = new FakePeer();
        var reply = $$"""{"hash": "{{TopHash}}", "height": 4542, "type": "STATS_REPLY", "extra": [1]}""";
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            [reply],
            (o, e, ct) => StatsCommand.RunAsync(peer.Address, Run.AnsweredTimeout, json: true, o, e, ct));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(reply + Environment.NewLine, outcome.Output);
    }

    [Fact]
    public async Task A_reply_that_does_not_decode_fails_with_the_rejection_reason()
    {
        using var peer = new FakePeer();
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            ["""["Empty Chain"]"""],
            (o, e, ct) => StatsCommand.RunAsync(peer.Address, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal(ExitCodes.Failed, outcome.ExitCode);
        Assert.Contains("malformed reply", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("NotObject", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("Empty Chain", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(outcome.Output);
    }

    [Fact]
    public async Task A_silent_peer_times_out_and_the_ignored_datagrams_are_counted()
    {
        using var peer = new FakePeer();
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            ["""{"type":"CONSENSUS"}""", """{"type":"GET_BLOCK","height":1}"""],
            (o, e, ct) => StatsCommand.RunAsync(peer.Address, Run.CountingTimeout, json: false, o, e, ct));

        Assert.Equal(ExitCodes.Failed, outcome.ExitCode);
        Assert.Equal($"aviary stats: no STATS_REPLY from {peer.Address} within 1.5 s (ignored 2 other datagrams){Environment.NewLine}", outcome.Error);
        Assert.Empty(outcome.Output);
    }

    [Fact]
    public async Task A_peer_that_never_answers_times_out()
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(
            peer,
            [],
            (o, e, ct) => StatsCommand.RunAsync(peer.Address, 0.3, json: false, o, e, ct));

        Assert.Equal("""{"type":"STATS"}""", request);
        Assert.Equal(ExitCodes.Failed, outcome.ExitCode);
        Assert.Contains("no STATS_REPLY", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored", outcome.Error, StringComparison.Ordinal);
    }
}
