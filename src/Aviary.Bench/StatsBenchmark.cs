using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Limits;
using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Bench;

/// <summary>
/// <c>aviary bench stats</c>: how many STATS a node answers per second on loopback, beside a plain
/// UDP echo server (no JSON, no core) driven by the same load generator in the same run.
/// </summary>
public static class StatsBenchmark
{
    private static readonly byte[] StatsRequest = """{"type":"STATS"}"""u8.ToArray();

    public static async Task<int> RunAsync(double seconds, int inFlight, bool json, CancellationToken stop)
    {
        if (seconds is <= 0 or > 600 || inFlight is < 1 or > 4096)
        {
            Console.Error.WriteLine("aviary bench stats: --seconds 0..600, --in-flight 1..4096");
            return ExitCodes.BadInput;
        }

        var duration = TimeSpan.FromSeconds(seconds);
        var node = await MeasureNodeAsync(duration, inFlight, stop);
        var echo = MeasureEcho(duration, inFlight);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { stats_per_second = node, echo_per_second = echo, ratio = node / echo, in_flight = inFlight }));
        }
        else
        {
            Console.WriteLine($"aviary node: {node:N0} STATS answered/s ({inFlight} in flight, {seconds:0.#} s)");
            Console.WriteLine($"plain echo:  {echo:N0} round trips/s (same load generator, no JSON)");
            Console.WriteLine($"ratio:       {node / echo:0.00}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<double> MeasureNodeAsync(TimeSpan duration, int inFlight, CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var store = new InMemoryChainStore();
        store.Append(BenchChain.Mine(10, 1));
        // Raw serving speed from one socket: the per-source rate limits are off, and the load generator
        // proves its address first (as a peer would) so that replies are not capped by its byte credit.
        var options = new NodeOptions { Name = "bench", AdvertisedHost = "127.0.0.1", Port = host.LocalEndPoint.Port, Difficulty = 1, RateLimits = RateLimits.Unlimited };
        var core = new NodeCore(options, new LocalChain(store, 1), host, TimeProvider.System, NullLogger.Instance, new Random(1));
        var run = host.RunAsync(core, limit.Token);
        var rate = Load(host.LocalEndPoint, duration, inFlight, prove: true);
        await limit.CancelAsync();
        await run;
        return rate;
    }

    private static double MeasureEcho(TimeSpan duration, int inFlight)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var done = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!done.IsCancellationRequested)
            {
                if (server.Poll(10_000, SelectMode.SelectRead))
                {
                    var n = server.ReceiveFrom(buffer, SocketFlags.None, from);
                    server.SendTo(buffer.AsSpan(0, n), SocketFlags.None, from);
                }
            }
        })
        { IsBackground = true };
        thread.Start();
        var rate = Load((IPEndPoint)server.LocalEndPoint!, duration, inFlight, prove: false);
        done.Cancel();
        thread.Join();
        return rate;
    }

    /// <summary>Keeps <paramref name="inFlight"/> STATS outstanding (re-sending after 100 ms of silence) and counts replies.</summary>
    private static double Load(IPEndPoint target, TimeSpan duration, int inFlight, bool prove)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (prove && !ProvenClient.Prove(client, target, TimeSpan.FromSeconds(5)))
        {
            Console.Error.WriteLine("aviary bench stats: the node did not challenge the load generator; replies will be capped by its byte credit");
        }

        client.Connect(target);
        var buffer = new byte[2048];
        for (var i = 0; i < inFlight; i++)
        {
            client.Send(StatsRequest);
        }

        long replies = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            if (client.Poll(100_000, SelectMode.SelectRead))
            {
                client.Receive(buffer);
                replies++;
                client.Send(StatsRequest);
            }
            else
            {
                for (var i = 0; i < inFlight; i++)
                {
                    client.Send(StatsRequest);
                }
            }
        }

        return replies / watch.Elapsed.TotalSeconds;
    }
}
