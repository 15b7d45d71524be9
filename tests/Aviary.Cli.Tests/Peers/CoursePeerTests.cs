using System.Globalization;
using System.Text.Json;

using Aviary.Bench;
using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Cli.Tests.Peers;

/// <summary>
/// Small fake course peers (stdlib Python scripts, Peers/*.py) against a real <c>aviary run</c> and,
/// in the same test, against a plain Python peer serving the same chain
/// (bench/anchors/python_peer.py, one datagram at a time): Aviary must serve them at least as well.
/// Loopback only; every process is killed when the test ends.
/// </summary>
public sealed class CoursePeerTests : IDisposable
{
    private const int Blocks = 500;
    private const int Difficulty = 1;
    private static readonly TimeSpan ScriptBound = TimeSpan.FromSeconds(45);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("aviary-course-peers-");

    [Fact]
    public async Task A_joiner_asking_STATS_from_a_new_socket_each_time_and_waiting_50_ms_is_always_answered()
    {
        await using var servers = await StartServersAsync();
        foreach (var (name, port) in servers.Ports)
        {
            var result = await PythonScript.RunAsync(ScriptBound, "Peers/course_joiner.py", "127.0.0.1", port, "10", "50");
            Say($"{name}: {result}");
            Assert.True(result.GetProperty("answered").GetInt32() == 10, $"{name} left STATS from fresh sockets unanswered within 50 ms: {result}");
        }
    }

    [Fact]
    public async Task A_slow_client_with_a_small_receive_buffer_syncs_from_Aviary_no_slower_than_from_a_Python_peer()
    {
        await using var servers = await StartServersAsync();
        var aviary = await SlowSyncAsync(servers.Aviary.Port.ToString(CultureInfo.InvariantCulture));
        var python = await SlowSyncAsync(servers.PythonPort);
        Say($"aviary run: {aviary}");
        Say($"python peer: {python}");

        // Aviary must finish; the Python peer may not (a lost burst costs it a round each time), in
        // which case its time is a lower bound and the comparison only gets easier for it.
        Assert.True(aviary.GetProperty("verified").GetBoolean(), $"incomplete sync from aviary run: {aviary}\n{servers.Aviary.Log}");
        var aviarySeconds = aviary.GetProperty("seconds").GetDouble();
        var pythonSeconds = python.GetProperty("seconds").GetDouble();
        Assert.True(aviarySeconds <= (1.5 * pythonSeconds) + 1, $"aviary {aviarySeconds:0.00} s, python peer {pythonSeconds:0.00} s");
    }

    public void Dispose() => directory.Delete(recursive: true);

    /// <summary>16 KiB receive buffer, 0.1 ms of work per datagram, re-asks after 1 s of quiet, 25 s at most.</summary>
    private static Task<JsonElement> SlowSyncAsync(string port) =>
        PythonScript.RunAsync(ScriptBound, "Peers/slow_sync.py", "127.0.0.1", port, Difficulty.ToString(CultureInfo.InvariantCulture), "16384", "0.1", "1", "25");

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private async Task<Servers> StartServersAsync()
    {
        var chain = Path.Combine(directory.FullName, "chain.json");
        using (var file = File.Create(chain))
        {
            BlockFile.Write(BenchChain.Mine(Blocks, Difficulty), file);
        }

        var python = PythonScript.Start("Peers/python_peer.py", chain);
        try
        {
            var port = await python.FirstLineAsync(TimeSpan.FromSeconds(20));
            var aviary = await AviaryRun.StartAsync(chain, Blocks, Difficulty, directory.FullName);
            return new Servers(aviary, python, port);
        }
        catch
        {
            await python.DisposeAsync();
            throw;
        }
    }

    /// <summary>The two servers of one test, on the same chain.</summary>
    private sealed record Servers(AviaryRun Aviary, PythonScript Python, string PythonPort) : IAsyncDisposable
    {
        public IEnumerable<(string Name, string Port)> Ports =>
            [("aviary run", Aviary.Port.ToString(CultureInfo.InvariantCulture)), ("python peer", PythonPort)];

        public async ValueTask DisposeAsync()
        {
            await Aviary.DisposeAsync();
            await Python.DisposeAsync();
        }
    }
}
