using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Aviary.Crash.Tests;

/// <summary>
/// A real <c>aviary run</c> child process: its stdout read line by line (the test waits on lines,
/// each wait with a deadline), the committed heights it reported, and a SIGKILL.
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    /// <summary>Lines kept for a failure message.</summary>
    private const int TailLines = 40;

    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly Queue<string> tail = new();
    private readonly StringBuilder errors = new();
    private readonly Task reading;
    private readonly Task readingErrors;

    private NodeProcess(Process process)
    {
        this.process = process;
        reading = PumpAsync();
        readingErrors = PumpErrorsAsync();
    }

    /// <summary>Highest height this run reported as committed (-1 before any).</summary>
    public long Committed { get; private set; } = -1;

    /// <summary>Top hash of the last committed line.</summary>
    public string? CommittedTop { get; private set; }

    /// <summary>Committed lines read so far.</summary>
    public int CommitLines { get; private set; }

    public bool Killed { get; private set; }

    public static NodeProcess Start(string dataDirectory, int port, int serverPort, int commitBatch, string name)
    {
        var start = new ProcessStartInfo(AviaryBinary.Host())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        string[] args =
        [
            AviaryBinary.Dll(), "run", "--data", dataDirectory, "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--peer", $"127.0.0.1:{serverPort}", "--difficulty", CrashChain.Difficulty.ToString(CultureInfo.InvariantCulture),
            "--name", name, "--commit-batch", commitBatch.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Only our settings: nothing from the environment of whoever runs the tests.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AVIARY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["AVIARY_LOG"] = "Information";
        return new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Reads lines until <paramref name="until"/> holds for the process's state; false when its output ended first.</summary>
    public async Task<bool> ReadUntilAsync(Func<NodeProcess, bool> until, TimeSpan bound, CancellationToken cancel) =>
        await ReadAsync(until, bound, cancel) switch
        {
            ReadOutcome.Reached => true,
            ReadOutcome.Ended => false,
            _ => throw new TimeoutException($"no expected line from the node within {bound.TotalSeconds:0} s\n{Describe()}"),
        };

    /// <summary>Reads lines for <paramref name="duration"/>, or less if <paramref name="until"/> holds or the output ends sooner.</summary>
    public Task ReadForAsync(Func<NodeProcess, bool> until, TimeSpan duration, CancellationToken cancel) => ReadAsync(until, duration, cancel);

    /// <summary>SIGKILL (no clean-up runs in the child), then every line it wrote before dying.</summary>
    public async Task KillAsync(CancellationToken cancel)
    {
        Killed = !process.HasExited;
        process.Kill();
        await process.WaitForExitAsync(cancel).WaitAsync(TimeSpan.FromSeconds(30), cancel);
        await DrainAsync(cancel);
    }

    /// <summary>The child's exit, its last lines and its stderr, for failure messages.</summary>
    public string Describe() =>
        $"aviary run (pid {process.Id}, {(process.HasExited ? $"exit {process.ExitCode}" : "running")}), last lines:\n{string.Join('\n', tail)}\nstderr:\n{Errors}";

    public bool ExitedByItself => !Killed && process.HasExited;

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        await Task.WhenAll(reading, readingErrors);
        process.Dispose();
    }

    private async Task<ReadOutcome> ReadAsync(Func<NodeProcess, bool> until, TimeSpan bound, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(bound);
        while (!until(this))
        {
            try
            {
                if (!await lines.Reader.WaitToReadAsync(deadline.Token))
                {
                    return ReadOutcome.Ended;
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return ReadOutcome.TimedOut;
            }

            while (lines.Reader.TryRead(out var line))
            {
                Take(line);
            }
        }

        return ReadOutcome.Reached;
    }

    private async Task DrainAsync(CancellationToken cancel)
    {
        await reading.WaitAsync(TimeSpan.FromSeconds(30), cancel);
        while (lines.Reader.TryRead(out var line))
        {
            Take(line);
        }
    }

    private void Take(string line)
    {
        tail.Enqueue(line);
        if (tail.Count > TailLines)
        {
            tail.Dequeue();
        }

        if (CommittedLine().Match(line) is { Success: true } m)
        {
            CommitLines++;
            Committed = Math.Max(Committed, long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            CommittedTop = m.Groups[2].Value;
        }
    }

    private async Task PumpAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lines.Writer.TryWrite(line);
        }

        lines.Writer.TryComplete();
    }

    private async Task PumpErrorsAsync()
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            lock (errors)
            {
                errors.AppendLine(line);
            }
        }
    }

    private enum ReadOutcome
    {
        Reached,
        Ended,
        TimedOut,
    }

    [GeneratedRegex(@"chain: committed height (\d+) \(top ([0-9a-f]{64})\)")]
    private static partial Regex CommittedLine();
}
