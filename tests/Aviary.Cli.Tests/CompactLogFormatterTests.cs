using Microsoft.Extensions.Logging;

namespace Aviary.Cli.Tests;

/// <summary>The console log line: time, level, area, message; no event id; short hashes on a terminal; counts that read right.</summary>
public sealed class CompactLogFormatterTests
{
    private const string Hash = "fd3fbbeae4596358461728c876ed9db14d4de55c6bc5b9f37f0790e150280000";
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 51, 1, TimeSpan.Zero);

    [Fact]
    public void A_piped_line_keeps_the_whole_hash_and_has_no_event_id()
    {
        var line = CompactLogFormatter.Format(At, LogLevel.Information, "node", $"chain: committed height 2 (top {Hash})", forTerminal: false);

        Assert.Equal($"09:51:01 info node   chain: committed height 2 (top {Hash})", line);
    }

    [Fact]
    public void A_terminal_line_shortens_hashes()
    {
        var line = CompactLogFormatter.Format(At, LogLevel.Information, "Aviary.Node.Core", $"mined block 1 {Hash} with 2 messages", forTerminal: true);

        Assert.Equal("09:51:01 info Core   mined block 1 fd3fbbeae4… with 2 messages", line);
    }

    [Theory]
    [InlineData("mining on 1 threads (avx2)", "mining on 1 thread (avx2)")]
    [InlineData("rejected 1 datagrams in the last 00:01:00", "rejected 1 datagram in the last 00:01:00")]
    [InlineData("fetched 1 blocks above fork 3 (2 blocks/s, 1 retries)", "fetched 1 block above fork 3 (2 blocks/s, 1 retry)")]
    [InlineData("mined block 4 with 1 messages; announced to 11 peers", "mined block 4 with 1 message; announced to 11 peers")]
    [InlineData("1 peers answered", "1 peer answered")]
    public void Counts_of_one_are_singular(string message, string expected)
    {
        var line = CompactLogFormatter.Format(At, LogLevel.Information, "node", message, forTerminal: false);

        Assert.Equal($"09:51:01 info node   {expected}", line);
    }
}
