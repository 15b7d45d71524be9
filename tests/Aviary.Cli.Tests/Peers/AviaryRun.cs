using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Aviary.Cli.Tests.Peers;

/// <summary>
/// A real <c>aviary run</c> child process on 127.0.0.1 (the aviary.dll built beside these tests),
/// serving a chain file from memory, no dashboard; ready once it answers STATS with the whole chain.
/// Killed when disposed.
/// </summary>
internal sealed class AviaryRun : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private AviaryRun(Process process, int port)
    {
        this.process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>Starts the node on a free loopback port and waits until it serves all <paramref name="blocks"/> blocks.</summary>
    public static async Task<AviaryRun> StartAsync(string chainFile, int blocks, int difficulty, string directory)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory, // no aviary.json of whoever runs the tests
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "aviary.dll"), "run", "--in-memory", "--chain", chainFile,
            "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--difficulty", difficulty.ToString(CultureInfo.InvariantCulture), "--no-web", "--name", "aviary under test",
        ];
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AVIARY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        var run = new AviaryRun(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
        try
        {
            await run.WaitServingAsync(blocks, TimeSpan.FromSeconds(30));
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    public string Log
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
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

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>Asks STATS until the reply carries the whole chain (this also warms the node's STATS path).</summary>
    private async Task WaitServingAsync(int blocks, TimeSpan bound)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var node = new IPEndPoint(IPAddress.Loopback, Port);
        var buffer = new byte[2048];
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < bound)
        {
            Assert.False(process.HasExited, $"aviary run exited {(process.HasExited ? process.ExitCode : 0)}:\n{Log}");
            socket.SendTo("{\"type\":\"STATS\"}"u8, node);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                var n = await socket.ReceiveAsync(buffer, wait.Token);
                using var reply = JsonDocument.Parse(buffer.AsMemory(0, n));
                if (reply.RootElement.TryGetProperty("height", out var height) && height.ValueKind == JsonValueKind.Number && height.GetInt32() == blocks)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                // Not listening yet: ask again.
            }
        }

        Assert.Fail($"aviary run did not serve {blocks} blocks within {bound.TotalSeconds:0} s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
