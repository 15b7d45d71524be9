using System.Net;
using System.Text.Json;

namespace Aviary.Probe.Tests;

/// <summary>Grading and printing a report.</summary>
public sealed class ReportTests
{
    private static ProbeReport Report(int pass, int fail, int skip) => new(
        "127.0.0.1:9",
        DateTimeOffset.UnixEpoch,
        1.5,
        [
            .. Enumerable.Range(0, pass).Select(i => new CheckResult($"p{i}", "passes", CheckOutcome.Pass, "fine")),
            .. Enumerable.Range(0, fail).Select(i => new CheckResult($"f{i}", "fails", CheckOutcome.Fail, "bad\u001b[31m")),
            .. Enumerable.Range(0, skip).Select(i => new CheckResult($"s{i}", "skips", CheckOutcome.Skip, "n/a")),
        ]);

    [Theory]
    [InlineData(5, 0, 3, 'A')]
    [InlineData(8, 2, 0, 'B')]
    [InlineData(7, 3, 1, 'C')]
    [InlineData(2, 3, 0, 'D')]
    [InlineData(1, 4, 0, 'F')]
    [InlineData(0, 0, 4, 'F')]
    public void Grades_follow_the_share_of_checks_passed(int pass, int fail, int skip, char grade) =>
        Assert.Equal(grade, Report(pass, fail, skip).Grade);

    [Fact]
    public void Text_lists_each_check_with_escaped_evidence_and_ends_with_the_grade()
    {
        var text = ProbeReportWriter.Text(Report(1, 1, 1));
        var lines = text.Split('\n');
        Assert.StartsWith("aviary probe 127.0.0.1:9: 3 checks in 1.5 s", lines[0]);
        Assert.Contains("PASS  p0  passes", text);
        Assert.Contains("FAIL  f0  fails", text);
        Assert.Contains("SKIP  s0  skips", text);
        Assert.Contains("bad\\u001b[31m", text);
        Assert.DoesNotContain("\u001b", text);
        Assert.Equal("grade D: 1 passed, 1 failed, 1 skipped", lines[^2]);
    }

    [Fact]
    public void Json_carries_every_check()
    {
        var json = JsonDocument.Parse(ProbeReportWriter.Json(Report(2, 1, 0))).RootElement;
        Assert.Equal("C", json.GetProperty("grade").GetString());
        Assert.Equal(2, json.GetProperty("passed").GetInt32());
        Assert.Equal(["pass", "pass", "fail"], json.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("outcome").GetString()));
        Assert.Equal("bad\u001b[31m", json.GetProperty("checks")[2].GetProperty("evidence").GetString());
    }

    [Fact]
    public void Options_default_to_loopback_and_a_bounded_run()
    {
        var options = new ProbeOptions { Target = new IPEndPoint(IPAddress.Loopback, 1) };
        Assert.Equal(IPAddress.Loopback, options.Bind);
        Assert.True(options.OverallLimit <= TimeSpan.FromMinutes(2));
        Assert.Equal(2000, options.MaxBlocks);
    }
}
