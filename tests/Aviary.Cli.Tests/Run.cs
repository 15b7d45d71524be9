namespace Aviary.Cli.Tests;

/// <summary>A command's exit code and what it wrote.</summary>
internal sealed record Outcome(int ExitCode, string Output, string Error);

/// <summary>Runs a command against a <see cref="FakePeer"/> and collects the request it sent.</summary>
internal static class Run
{
    /// <summary>Bound on how long the fake peer waits for the request; reached only when a test is broken.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Generous reply wait for exchanges that are answered at once (a bound, never reached when the test passes).</summary>
    public const double AnsweredTimeout = 20;

    /// <summary>
    /// Wait for tests that expect a timeout after counting datagrams the fake peer sends at once:
    /// long enough that the peer's sends happen before it even on a loaded machine (and what is
    /// queued at the deadline is still read).
    /// </summary>
    public const double CountingTimeout = 1.5;

    public static async Task<(Outcome Outcome, string Request)> AgainstAsync(
        FakePeer peer,
        string[] replies,
        Func<TextWriter, TextWriter, CancellationToken, Task<int>> command)
    {
        var ct = TestContext.Current.CancellationToken;
        var answering = peer.AnswerAsync(ct, replies);
        var outcome = await CommandAsync(command);
        var request = await answering.WaitAsync(Bound, ct);
        return (outcome, request);
    }

    public static async Task<Outcome> CommandAsync(Func<TextWriter, TextWriter, CancellationToken, Task<int>> command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await command(output, error, TestContext.Current.CancellationToken);
        return new Outcome(code, output.ToString(), error.ToString());
    }
}
