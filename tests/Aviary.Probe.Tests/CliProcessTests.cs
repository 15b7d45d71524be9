using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Aviary.Probe.Tests;

/// <summary>
/// The real <c>aviary</c> program in child processes: <c>aviary devnet</c> starts a network on
/// loopback, <c>aviary probe</c> grades its first node, and SIGTERM stops every node.
/// </summary>
public sealed partial class CliProcessTests
{
    private static readonly string Aviary = typeof(CliProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AviaryCli").Value!;

    [Fact]
    public async Task Devnet_starts_nodes_that_sync_passes_the_probe_and_stops_on_SIGTERM()
    {
        var cancel = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(Aviary), $"{Aviary} was not built");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(TimeSpan.FromMinutes(4));

        var (devnet, lines, udp, web) = await StartDevnetAsync(deadline.Token, "--no-mine", "--logs");
        using (devnet)
        {
            try
            {
                // Node 1 joins node 0 by gossip and syncs its starting chain of 5 blocks.
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                while (true)
                {
                    var status = await TryStatusAsync(http, web + 1, deadline.Token);
                    if (status is { } s && s.GetProperty("chain").GetProperty("height").GetInt64() == 5 && s.GetProperty("peers").GetArrayLength() == 1)
                    {
                        Assert.Equal("devnet-1", s.GetProperty("node").GetProperty("name").GetString());
                        Assert.Equal("devnet-0", s.GetProperty("peers")[0].GetProperty("name").GetString());
                        break;
                    }

                    await Task.Delay(100, deadline.Token);
                }

                var (code, output) = await RunAsync(["probe", $"127.0.0.1:{udp}", "--json"], deadline.Token);
                Assert.True(code == 0, output);
                var report = JsonDocument.Parse(output).RootElement;
                Assert.Equal("A", report.GetProperty("grade").GetString());
                Assert.Equal(0, report.GetProperty("failed").GetInt32());
                Assert.Equal(13, report.GetProperty("passed").GetInt32());
            }
            finally
            {
                if (!devnet.HasExited)
                {
                    Assert.Equal(0, Kill(devnet.Id, 15));
                }
            }

            await devnet.WaitForExitAsync(deadline.Token);
            var all = new List<string>();
            while (lines.Reader.TryRead(out var line))
            {
                all.Add(line);
            }

            var log = string.Join('\n', all);
            Assert.True(devnet.ExitCode == 0, log);
            Assert.Contains("devnet: stopped", log);
            Assert.Contains(all, l => l.StartsWith("devnet-1  | ", StringComparison.Ordinal) && l.Contains("sync: at 5 blocks", StringComparison.Ordinal));
            Assert.Contains($"dashboard http://127.0.0.1:{web}/", log);

            // Every node is gone: their ports can be bound again.
            for (var i = 0; i < 2; i++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, udp + i));
            }
        }
    }

    [Fact]
    public async Task Probe_rejects_a_malformed_address()
    {
        var (code, output) = await RunAsync(["probe", "no-port-here"], TestContext.Current.CancellationToken);
        Assert.Equal(2, code);
        Assert.Contains("HOST:PORT", output);
    }

    [Fact]
    public async Task Devnet_output_to_a_pipe_is_one_line_per_block_for_the_whole_network()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(TimeSpan.FromMinutes(4));
        var (devnet, lines, _, _) = await StartDevnetAsync(deadline.Token);
        using (devnet)
        {
            var blocks = new List<long>();
            var others = new List<string>();
            try
            {
                // Node 0 mines at difficulty 2 on top of the 5-block chain; the other node follows.
                while (blocks.Count < 10)
                {
                    var line = await lines.Reader.ReadAsync(deadline.Token);
                    if (BlockLine().Match(line) is { Success: true } m)
                    {
                        blocks.Add(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        others.Add(line);
                    }
                }
            }
            finally
            {
                if (!devnet.HasExited)
                {
                    Assert.Equal(0, Kill(devnet.Id, 15));
                }
            }

            await devnet.WaitForExitAsync(deadline.Token);
            while (lines.Reader.TryRead(out var line))
            {
                others.Add(line);
            }

            // Each height once, in order, whichever node committed it first; no node's raw log lines.
            Assert.Equal(blocks.Order(), blocks);
            Assert.Equal(blocks.Count, blocks.Distinct().Count());
            Assert.True(blocks[0] >= 5, string.Join('\n', blocks));
            Assert.DoesNotContain(others, l => l.Contains(" | ", StringComparison.Ordinal) && !BlockLine().IsMatch(l));
            Assert.Contains("devnet: stopped", others);
            Assert.Equal(0, devnet.ExitCode);
        }
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d block (\d+) [0-9a-f]{10}…$")]
    private static partial Regex BlockLine();

    [Fact]
    public async Task Probe_of_a_closed_port_says_nothing_answered_in_one_line_and_exits_1()
    {
        var target = ProberReachTests.ClosedPort();

        var (code, output) = await RunAsync(["probe", target.ToString()], TestContext.Current.CancellationToken);

        Assert.True(code == 1, output);
        Assert.Contains($"aviary probe: nothing answered from {target}: the port is closed (ICMP port unreachable)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PASS", output, StringComparison.Ordinal);
    }

    private static async Task<(Process Devnet, Channel<string> Lines, int Udp, int Web)> StartDevnetAsync(CancellationToken cancel, params string[] extra)
    {
        // Ports are fixed per node (base + i); pick a random base and try another if one is taken.
        for (var attempt = 0; ; attempt++)
        {
            var udp = Random.Shared.Next(20_000, 40_000);
            var web = udp + 20_000;
            var lines = Channel.CreateUnbounded<string>();
            var devnet = Start(["devnet", "--peers", "2", "--difficulty", "2", "--blocks", "5", "--port", $"{udp}", "--web-port", $"{web}", .. extra], lines);
            while (await lines.Reader.WaitToReadAsync(cancel))
            {
                var line = await lines.Reader.ReadAsync(cancel);
                if (line.StartsWith("devnet: 2 nodes on 127.0.0.1", StringComparison.Ordinal))
                {
                    return (devnet, lines, udp, web);
                }

                if (line.Contains("already in use", StringComparison.Ordinal) && attempt < 3)
                {
                    break;
                }
            }

            await devnet.WaitForExitAsync(cancel);
            Assert.True(attempt < 3, $"devnet exited with {devnet.ExitCode} before it was ready");
            devnet.Dispose();
        }
    }

    private static Process Start(IEnumerable<string> args, Channel<string> lines)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Aviary);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Exited += (_, _) => lines.Writer.TryComplete();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (line is not null)
            {
                lines.Writer.TryWrite(line);
            }
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(IEnumerable<string> args, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Aviary);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await output + await error);
    }

    private static async Task<JsonElement?> TryStatusAsync(HttpClient http, int port, CancellationToken cancel)
    {
        try
        {
            return await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/api/status", cancel);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
