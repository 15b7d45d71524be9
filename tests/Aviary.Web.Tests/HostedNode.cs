using System.Net;
using System.Net.Sockets;

using Aviary.Hosting;
using Aviary.Hosting.Mining;
using Aviary.Node;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Web.Tests;

/// <summary>
/// A node put together as <c>aviary run</c> puts it (<see cref="NodeHost"/>: in-memory store, UDP on
/// 127.0.0.1, mining when asked, the dashboard on a free loopback port), so the tests see what a user sees.
/// </summary>
internal sealed class HostedNode : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task run;

    private HostedNode(NodeHost host, CancellationTokenSource stop, Task run, Uri web)
    {
        Host = host;
        this.stop = stop;
        this.run = run;
        Web = web;
        Http = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// The course's fall 2023 genesis (shared/vectors/blocks.json, "f23a-0"): a real block at difficulty 8,
    /// so a node at that difficulty mines on top of it without first mining a genesis of its own.
    /// </summary>
    public static Block CourseGenesis { get; } = new(
        0,
        "Prof!",
        "7965175207940",
        ["3010 rocks", "Warning:", "Procrastinators", "will be sent back", "in time to start", "early."],
        "2483cc5c0d2fdbeeba3c942bde825270f345b2e9cd28f22d12ba347300000000",
        1699293749);

    public NodeHost Host { get; }

    public Uri Web { get; }

    public HttpClient Http { get; }

    public PeerAddress Udp => new("127.0.0.1", Host.Udp.LocalEndPoint.Port);

    /// <summary>
    /// Starts a node called <paramref name="name"/> at <paramref name="difficulty"/>; a miner (one thread)
    /// mines a genesis and then blocks when <paramref name="mine"/> is set.
    /// </summary>
    public static async Task<HostedNode> StartAsync(string name, int difficulty, bool mine, IReadOnlyList<PeerAddress>? peers = null, IReadOnlyList<Block>? chain = null)
    {
        string? chainFile = null;
        if (chain is not null)
        {
            chainFile = Path.Combine(Path.GetTempPath(), $"aviary-web-{Guid.NewGuid():N}.json");
            await using var file = File.Create(chainFile);
            BlockFile.Write(chain, file);
        }

        var settings = new NodeSettings
        {
            Name = name,
            InMemory = true,
            Bind = "127.0.0.1",
            Host = "127.0.0.1",
            Port = 0,
            Difficulty = difficulty,
            Peers = peers ?? [],
            WebPort = FreeTcpPort(),
            WebBind = "127.0.0.1",
            ChainFile = chainFile,
            Mining = mine ? new MiningSettings { Mine = true, Threads = 1, Genesis = chain is null ? [$"{name} genesis"] : [] } : new MiningSettings(),
        };
        var host = NodeHost.Create(settings, NullLoggerFactory.Instance, out var failure);
        if (chainFile is not null)
        {
            File.Delete(chainFile);
        }

        if (host is null)
        {
            throw new InvalidOperationException(failure?.Message);
        }

        var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        var address = await host.DashboardAddress.WaitAsync(TimeSpan.FromSeconds(30));
        var node = new HostedNode(host, stop, run, address ?? new Uri("http://127.0.0.1:1/"));
        if (address is null)
        {
            await node.DisposeAsync();
            throw new InvalidOperationException($"the dashboard of {name} did not start");
        }

        return node;
    }

    /// <summary>Sends NEW_WORD for each word to the node's UDP port.</summary>
    public async Task SendWordsAsync(IEnumerable<string> words)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var to = new IPEndPoint(IPAddress.Loopback, Udp.Port);
        foreach (var word in words)
        {
            await socket.SendToAsync(MessageEncoder.Encode(new NewWord(word)), to);
        }
    }

    /// <summary>Reads the node on its core thread.</summary>
    public Task<T> ReadAsync<T>(Func<Node.Core.NodeCore, T> read) => Host.Access.ReadAsync(read);

    /// <summary>Polls the node until <paramref name="condition"/> holds (bounded by a generous deadline).</summary>
    public async Task WaitForAsync(Func<Node.Core.NodeCore, bool> condition, int seconds = 60)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!await ReadAsync(condition))
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await stop.CancelAsync();
        await run;
        await Host.DisposeAsync();
        stop.Dispose();
    }

    /// <summary>A TCP port free on loopback now (the dashboard binds it a moment later).</summary>
    private static int FreeTcpPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
