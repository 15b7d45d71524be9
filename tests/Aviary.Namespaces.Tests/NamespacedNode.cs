using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

using Aviary.Crash.Tests;

namespace Aviary.Namespaces.Tests;

/// <summary>
/// A real <c>aviary run</c> started inside a network namespace (<c>ip netns exec</c>, which execs it,
/// so the process is the node itself); its output read line by line, each wait with a deadline.
/// </summary>
internal sealed class NamespacedNode : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly List<string> seen = [];
    private readonly StringBuilder errors = new();
    private readonly Task reading;
    private readonly Task readingErrors;

    private NamespacedNode(Process process)
    {
        this.process = process;
        reading = PumpAsync(process.StandardOutput, line => lines.Writer.TryWrite(line), () => lines.Writer.TryComplete());
        readingErrors = PumpAsync(process.StandardError, line => Append(line), () => { });
    }

    /// <summary>Every line read so far.</summary>
    public IReadOnlyList<string> Lines => seen;

    public static NamespacedNode Start(string netns, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in (string[])["netns", "exec", netns, AviaryBinary.Host(), AviaryBinary.Dll(), "run", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // Only our settings: nothing from the environment of whoever runs the tests.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AVIARY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["AVIARY_LOG"] = "Information";
        return new NamespacedNode(Process.Start(start) ?? throw new InvalidOperationException("ip netns exec did not start"));
    }

    /// <summary>Reads lines until one matches <paramref name="match"/>, and returns it; throws after <paramref name="bound"/> or when the output ends.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan bound, CancellationToken cancel)
    {
        if (seen.FirstOrDefault(match) is { } already)
        {
            return already;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(bound);
        try
        {
            while (await lines.Reader.WaitToReadAsync(deadline.Token))
            {
                while (lines.Reader.TryRead(out var line))
                {
                    seen.Add(line);
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"no expected line within {bound.TotalSeconds:0} s\n{Describe()}");
        }

        throw new InvalidOperationException($"the node's output ended\n{Describe()}");
    }

    /// <summary>Its lines and stderr, for failure messages.</summary>
    public string Describe()
    {
        lock (errors)
        {
            return $"aviary run (pid {process.Id}, {(process.HasExited ? $"exit {process.ExitCode}" : "running")}), lines:\n{string.Join('\n', seen)}\nstderr:\n{errors}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(reading, readingErrors).WaitAsync(TimeSpan.FromSeconds(30));
        process.Dispose();
    }

    private static async Task PumpAsync(StreamReader from, Action<string> take, Action end)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            take(line);
        }

        end();
    }

    private void Append(string line)
    {
        lock (errors)
        {
            errors.AppendLine(line);
        }
    }
}
