namespace Aviary.Cli.Tests;

/// <summary><c>aviary block</c> against a fake peer on loopback.</summary>
public sealed class BlockCommandTests
{
    private const string Reply = """{"type": "GET_BLOCK_REPLY", "height": 4, "minedBy": "Prof!", "nonce": "9180556384442", "messages": ["boxers", "hosed", "conjugations", "adagio's", "uncomplimentary"], "hash": "b78a93871f45ce84b8174941c23ae87c45b0465eb05ea8f6b7172d6600000000", "timestamp": 1731024600}""";

    [Fact]
    public async Task Prints_the_block_with_its_fields()
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(
            peer,
            [Reply],
            (o, e, ct) => BlockCommand.RunAsync(peer.Address, 4, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal("""{"type":"GET_BLOCK","height":4}""", request);
        Assert.Equal(0, outcome.ExitCode);
        string[] expected =
        [
            "block 4",
            "  hash       b78a93871f45ce84b8174941c23ae87c45b0465eb05ea8f6b7172d6600000000",
            "  minedBy    \"Prof!\"",
            "  nonce      \"9180556384442\"",
            "  timestamp  1731024600 (2024-11-08 00:10:00 UTC)",
            "  messages   5",
            "    \"boxers\"",
            "    \"hosed\"",
            "    \"conjugations\"",
            "    \"adagio's\"",
            "    \"uncomplimentary\"",
            string.Empty,
        ];
        Assert.Equal(string.Join(Environment.NewLine, expected), outcome.Output);
    }

    [Fact]
    public async Task Control_characters_from_the_peer_are_shown_escaped()
    {
        using var peer = new FakePeer();
        var reply = Reply.Replace("\"9180556384442\"", "\"*Ic\\u001dB:D\\u0012e?\\u001a\\u0018U2K&\"", StringComparison.Ordinal)
            .Replace("\"Prof!\"", "\"\\u001b[31mred\"", StringComparison.Ordinal);
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            [reply],
            (o, e, ct) => BlockCommand.RunAsync(peer.Address, 4, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("  nonce      \"*Ic\\u001dB:D\\u0012e?\\u001a\\u0018U2K&\"", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  minedBy    \"\\u001b[31mred\"", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Output.Replace(Environment.NewLine, string.Empty, StringComparison.Ordinal), char.IsControl);
    }

    [Theory]
    [InlineData("""{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":null}""")]
    [InlineData("""{"type": "GET_BLOCK_REPLY", "height": "None", "minedBy": "None", "nonce": "None", "messages": "None", "hash": "None", "timestamp": "None"}""")]
    public async Task The_null_reply_says_the_peer_has_no_such_block(string reply)
    {
        using var peer = new FakePeer();
        var (outcome, request) = await Run.AgainstAsync(
            peer,
            [reply],
            (o, e, ct) => BlockCommand.RunAsync(peer.Address, 59382, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal("""{"type":"GET_BLOCK","height":59382}""", request);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"peer has no block at height 59382{Environment.NewLine}", outcome.Output);
    }

    [Fact]
    public async Task A_block_for_another_height_is_not_the_reply()
    {
        using var peer = new FakePeer();
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            [Reply],
            (o, e, ct) => BlockCommand.RunAsync(peer.Address, 5, Run.CountingTimeout, json: false, o, e, ct));

        Assert.Equal(ExitCodes.Failed, outcome.ExitCode);
        Assert.Contains("no GET_BLOCK_REPLY for height 5", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("ignored 1 other datagram)", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_with_a_float_timestamp_is_malformed()
    {
        using var peer = new FakePeer();
        var (outcome, _) = await Run.AgainstAsync(
            peer,
            [Reply.Replace("1731024600", "1731024600.25", StringComparison.Ordinal)],
            (o, e, ct) => BlockCommand.RunAsync(peer.Address, 4, Run.AnsweredTimeout, json: false, o, e, ct));

        Assert.Equal(ExitCodes.Failed, outcome.ExitCode);
        Assert.Contains("BadField", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("timestamp", outcome.Error, StringComparison.Ordinal);
    }
}
