using Aviary.Node;

namespace Aviary.Cli.Tests;

/// <summary>HOST:PORT parsing, and what the commands do with an address they cannot use.</summary>
public sealed class AddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8999", "127.0.0.1", 8999)]
    [InlineData("silicon.cs.umanitoba.ca:8999", "silicon.cs.umanitoba.ca", 8999)]
    [InlineData("localhost:1", "localhost", 1)]
    [InlineData("[::1]:65535", "::1", 65535)]
    [InlineData("[fe80::1]:8000", "fe80::1", 8000)]
    [InlineData(" 127.0.0.1:8999 ", "127.0.0.1", 8999)]
    public void Accepts_host_port_and_bracketed_ipv6(string text, string host, int port)
    {
        Assert.True(PeerAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(new PeerAddress(host, port), address);
    }

    [Theory]
    [InlineData("127.0.0.1", "no port")]
    [InlineData("127.0.0.1:", "port")]
    [InlineData(":8999", "no usable host")]
    [InlineData("127.0.0.1:0", "1 to 65535")]
    [InlineData("127.0.0.1:65536", "1 to 65535")]
    [InlineData("127.0.0.1:+80", "1 to 65535")]
    [InlineData("127.0.0.1:eighty", "1 to 65535")]
    [InlineData("::1:8999", "brackets")]
    [InlineData("[::1]8999", "[IPv6]:PORT")]
    [InlineData("[::1:8999", "[IPv6]:PORT")]
    [InlineData("[127.0.0.1]:8999", "not an IPv6 address")]
    [InlineData("my host:8999", "no usable host")]
    public void Rejects_what_is_not_host_port_and_says_why(string text, string why)
    {
        Assert.False(PeerAddress.TryParse(text, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_ipv6_back_in_brackets()
    {
        Assert.Equal("[::1]:8999", new PeerAddress("::1", 8999).ToString());
        Assert.Equal("127.0.0.1:8999", new PeerAddress("127.0.0.1", 8999).ToString());
    }

    [Fact]
    public async Task Each_command_exits_with_bad_input_on_a_bad_address_and_sends_nothing()
    {
        Func<TextWriter, TextWriter, CancellationToken, Task<int>>[] commands =
        [
            (o, e, ct) => StatsCommand.RunAsync("127.0.0.1", 0.3, json: false, o, e, ct),
            (o, e, ct) => BlockCommand.RunAsync("127.0.0.1:99999", 4, 0.3, json: false, o, e, ct),
            (o, e, ct) => ConsensusCommand.RunAsync("::1:8999", json: false, o, e, ct),
            (o, e, ct) => WordCommand.RunAsync("", "hello", json: false, o, e, ct),
        ];
        foreach (var command in commands)
        {
            var outcome = await Run.CommandAsync(command);
            Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
            Assert.Contains("bad address", outcome.Error, StringComparison.Ordinal);
            Assert.Empty(outcome.Output);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(1e9)]
    public async Task A_timeout_that_is_not_a_positive_bounded_number_is_bad_input(double timeout)
    {
        var outcome = await Run.CommandAsync((o, e, ct) => StatsCommand.RunAsync("127.0.0.1:9", timeout, json: false, o, e, ct));
        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Contains("--timeout", outcome.Error, StringComparison.Ordinal);
    }
}
