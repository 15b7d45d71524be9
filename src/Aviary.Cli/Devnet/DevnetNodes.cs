using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aviary.Cli;

/// <summary>
/// The devnet's child processes: starts them, hands their output line by line to the devnet's
/// output (raw, calm or live), and stops them (SIGTERM, then the whole process tree after a grace period).
/// </summary>
internal sealed partial class DevnetNodes(DevnetPlan plan, IDevnetOutput output) : IAsyncDisposable
{
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private const int SigTerm = 15;

    private readonly List<(string Name, Process Process)> nodes = [];

    /// <summary>Completes with the first node that exits on its own (its name and exit code).</summary>
    public Task<(string Name, int Code)> FirstExit { get; private set; } = Task.FromResult((string.Empty, 0));

    public void Start()
    {
        var (file, prefix) = DevnetPlan.Self();
        var exits = new List<Task<(string, int)>>();
        for (var i = 0; i < plan.Peers; i++)
        {
            var name = plan.Name(i);
            var start = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in prefix.Concat(plan.RunArguments(i)))
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["DOTNET_NOLOGO"] = "1";
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => Relay(name, e.Data);
            process.ErrorDataReceived += (_, e) => Relay(name, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            nodes.Add((name, process));
            exits.Add(ExitOf(name, process));
        }

        FirstExit = Task.WhenAny(exits).Unwrap();
    }

    /// <summary>True once every node answers STATS on its UDP port, false at the deadline.</summary>
    public async Task<bool> WaitUntilServingAsync(TimeSpan limit, CancellationToken cancel)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var waiting = Enumerable.Range(0, plan.Peers).Select(plan.UdpPortOf).ToHashSet();
        var deadline = DateTimeOffset.UtcNow + limit;
        var buffer = new byte[2048];
        while (waiting.Count > 0 && DateTimeOffset.UtcNow < deadline && !cancel.IsCancellationRequested && !FirstExit.IsCompleted)
        {
            foreach (var port in waiting)
            {
                await socket.SendToAsync("""{"type":"STATS"}"""u8.ToArray(), new IPEndPoint(IPAddress.Loopback, port), cancel);
            }

            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            round.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                while (waiting.Count > 0)
                {
                    var got = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Loopback, 0), round.Token);
                    waiting.Remove(((IPEndPoint)got.RemoteEndPoint).Port);
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
            }
            catch (SocketException)
            {
                // A node not yet bound answers with ICMP port unreachable; try again next round.
            }
        }

        return waiting.Count == 0;
    }

    /// <summary>Asks every running node to stop, waits, then kills what is left with its process tree.</summary>
    public async Task StopAsync()
    {
        foreach (var (_, process) in nodes)
        {
            if (!process.HasExited)
            {
                Terminate(process);
            }
        }

        using var grace = new CancellationTokenSource(StopGrace);
        foreach (var (name, process) in nodes)
        {
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Say($"devnet: {name} did not stop within {StopGrace.TotalSeconds:0} s; killing its process tree");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var (_, process) in nodes)
        {
            process.Dispose();
        }
    }

    public void Say(string line) => output.Say(line);

    private static async Task<(string, int)> ExitOf(string name, Process process)
    {
        await process.WaitForExitAsync();
        return (name, process.ExitCode);
    }

    private static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        try
        {
            _ = Kill(process.Id, SigTerm);
        }
        catch (InvalidOperationException)
        {
            // Exited in the meantime.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void Relay(string name, string? line)
    {
        if (line is not null)
        {
            output.Line(name, line);
        }
    }
}
