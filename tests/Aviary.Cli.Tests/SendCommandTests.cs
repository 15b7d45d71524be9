namespace Aviary.Cli.Tests;

/// <summary><c>aviary consensus</c> and <c>aviary word</c>: one datagram out, no reply awaited.</summary>
public sealed class SendCommandTests
{
    [Fact]
    public async Task Consensus_sends_the_message_and_says_there_is_no_reply()
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(peer, [], (o, e, ct) => ConsensusCommand.RunAsync(peer.Address, json: false, o, e, ct));

        Assert.Equal("""{"type":"CONSENSUS"}""", request);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"sent CONSENSUS to {peer.Address}; it has no reply{Environment.NewLine}", outcome.Output);
    }

    [Fact]
    public async Task Word_sends_new_word_with_the_word_as_utf8()
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(peer, [], (o, e, ct) => WordCommand.RunAsync(peer.Address, "protégé's", json: false, o, e, ct));

        Assert.Equal("""{"type":"NEW_WORD","word":"protégé's"}""", request);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"sent NEW_WORD to {peer.Address}; it has no reply{Environment.NewLine}", outcome.Output);
        Assert.Empty(outcome.Error);
    }

    [Fact]
    public async Task Word_with_json_prints_the_datagram_sent()
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(peer, [], (o, e, ct) => WordCommand.RunAsync(peer.Address, "say \"hi\"", json: true, o, e, ct));

        Assert.Equal(request + Environment.NewLine, outcome.Output);
        Assert.Equal("""{"type":"NEW_WORD","word":"say \"hi\""}""", request);
    }

    [Fact]
    public async Task A_word_too_long_for_a_block_is_sent_with_a_note()
    {
        using var peer = new FakePeer();
        var word = new string('w', 21);
        var (outcome, request) = await Run.AgainstAsync(peer, [], (o, e, ct) => WordCommand.RunAsync(peer.Address, word, json: false, o, e, ct));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains(word, request, StringComparison.Ordinal);
        Assert.Contains("at most 20", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_word_that_would_not_fit_a_datagram_is_not_sent()
    {
        var outcome = await Run.CommandAsync((o, e, ct) => WordCommand.RunAsync("127.0.0.1:9", new string('w', 2000), json: false, o, e, ct));

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("at most 1024", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(outcome.Output);
    }
}
