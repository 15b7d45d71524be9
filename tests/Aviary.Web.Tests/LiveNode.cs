using System.Net;
using System.Net.Sockets;
using System.Text;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;
using Aviary.Protocol;
using Aviary.Testing;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Web.Tests;

/// <summary>A real node on 127.0.0.1 (UDP host on its own thread) with its dashboard on a free port.</summary>
internal sealed class LiveNode : IAsyncDisposable
{
    public const int Difficulty = 1;
    public const long FirstTimestamp = 1_733_000_000;

    private readonly CancellationTokenSource stop = new();
    private Task run = Task.CompletedTask;

    private LiveNode(UdpHost host, NodeCore core)
    {
        Host = host;
        Core = core;
        Access = new NodeAccess(core, host.Post);
    }

    public UdpHost Host { get; }

    public NodeCore Core { get; }

    public NodeAccess Access { get; }

    public DashboardServer Web { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IPEndPoint Udp => Host.LocalEndPoint;

    public static async Task<LiveNode> StartAsync(int blocks = 30, string name = "web-test", IReadOnlyList<Block>? chain = null)
    {
        var store = new InMemoryChainStore();
        store.Append(chain ?? Mine(blocks, "test-miner"));
        var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var options = new NodeOptions { Name = name, AdvertisedHost = "127.0.0.1", Port = host.LocalEndPoint.Port, Difficulty = Difficulty };
        var core = new NodeCore(options, new LocalChain(store, Difficulty), host, TimeProvider.System, NullLogger.Instance, new Random(7));
        var node = new LiveNode(host, core);
        node.run = host.RunAsync(core, node.stop.Token);
        node.Web = await DashboardServer.StartAsync(new DashboardOptions { Port = 0 }, node.Access);
        node.Http = new HttpClient { BaseAddress = node.Web.Address, Timeout = TimeSpan.FromSeconds(30) };
        return node;
    }

    /// <summary>A valid chain from genesis at <see cref="Difficulty"/>, with fixed timestamps (or <paramref name="prefix"/> and that many more).</summary>
    public static List<Block> Mine(int count, string minedBy, IReadOnlyList<Block>? prefix = null) =>
        new TestChain { MinedBy = minedBy, Difficulty = Difficulty, FirstTimestamp = FirstTimestamp, Messages = h => [$"word {h}", "aviary"] }.Extend(prefix ?? [], count);

    /// <summary>Mines the block after our top and offers it to the node, as an ANNOUNCE would.</summary>
    public async Task<Block> OfferNextAsync(string minedBy = "announcer", IReadOnlyList<string>? messages = null)
    {
        var (count, top) = await Access.ReadAsync(c => (c.Chain.Count, c.Chain.TopHash));
        var block = TestChain.MineBlock(count, top, minedBy, messages ?? ["fresh", "block"], FirstTimestamp + count, Difficulty);
        var verdict = await Access.ReadAsync(c => c.OfferBlock(new PeerAddress("127.0.0.1", 9), block));
        Assert.True(verdict.IsValid, verdict.ToString());
        return block;
    }

    /// <summary>Makes the node track a peer called <paramref name="name"/> (a GOSSIP from a socket of ours naming itself).</summary>
    public async Task AddPeerAsync(string name)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var gossip = MessageEncoder.Encode(new Gossip("127.0.0.1", port, $"test-{Guid.NewGuid():N}", name));
        await socket.SendToAsync(gossip, Udp);
        await WaitForAsync(c => c.Peers.All.Any(p => p.Name == name));
    }

    /// <summary>Sends raw bytes to the node's UDP port.</summary>
    public async Task SendRawAsync(string text)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.SendToAsync(Encoding.UTF8.GetBytes(text), Udp);
    }

    /// <summary>Polls the core until <paramref name="condition"/> holds (bounded by a generous deadline).</summary>
    public async Task WaitForAsync(Func<NodeCore, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await Access.ReadAsync(condition))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Web.DisposeAsync();
        await stop.CancelAsync();
        await run;
        Host.Dispose();
        stop.Dispose();
    }
}
