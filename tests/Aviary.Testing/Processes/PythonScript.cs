using System.Diagnostics;
using System.Text.Json;

namespace Aviary.Testing;

/// <summary>
/// A stdlib Python script copied beside the tests (the fake course peers of the CLI and node tests,
/// bench/anchors/python_peer.py) run as a child process: to completion for its JSON line, or kept
/// running (a server) until disposed, killed with its whole tree.
/// </summary>
public sealed class PythonScript : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> errors;

    private PythonScript(Process process)
    {
        this.process = process;
        errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts <c>python3 SCRIPT ARGS…</c>, <paramref name="script"/> a path under the test output directory.</summary>
    public static PythonScript Start(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, script);
        Assert.True(File.Exists(path), $"{path} was not copied beside the tests");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        return new PythonScript(Process.Start(start) ?? throw new InvalidOperationException("python3 did not start"));
    }

    /// <summary>Runs a script to its end and parses the last line it printed (one JSON object).</summary>
    public static async Task<JsonElement> RunAsync(TimeSpan bound, string script, params string[] arguments)
    {
        await using var run = Start(script, arguments);
        var output = run.process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            await run.process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"python3 {script} ran past {bound.TotalSeconds:0} s");
        }

        var text = await output;
        var error = await run.errors;
        Assert.True(run.process.ExitCode == 0, $"python3 {script} exited {run.process.ExitCode}: {error}\n{text}");
        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(last is not null, $"python3 {script} printed nothing: {error}");
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    /// <summary>The first line a server script prints (its port), within <paramref name="bound"/> or until <paramref name="cancel"/>.</summary>
    public async Task<string> FirstLineAsync(TimeSpan bound, CancellationToken cancel = default)
    {
        var line = await process.StandardOutput.ReadLineAsync(cancel).AsTask().WaitAsync(bound, cancel);
        Assert.True(line is not null, $"python3 exited before it was ready: {(process.HasExited ? await errors : "(running)")}");
        return line.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
