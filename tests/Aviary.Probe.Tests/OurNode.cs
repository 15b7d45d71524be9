using System.Net;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Probe.Tests;

/// <summary>Our own node on 127.0.0.1 (or another loopback address), its UDP host on its own thread, for the prober to check.</summary>
internal sealed class OurNode : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly UdpHost host;
    private readonly Task run;

    public OurNode(IReadOnlyList<Block> chain, int difficulty, IPAddress? bind = null)
    {
        bind ??= IPAddress.Loopback;
        var store = new InMemoryChainStore();
        store.Append(chain);
        host = new UdpHost(new IPEndPoint(bind, 0), NullLogger.Instance);
        var options = new NodeOptions { Name = "probed", AdvertisedHost = bind.ToString(), Port = host.LocalEndPoint.Port, Difficulty = difficulty };
        Core = new NodeCore(options, new LocalChain(store, difficulty), host, TimeProvider.System, NullLogger.Instance, new Random(3));
        run = host.RunAsync(Core, stop.Token);
    }

    public NodeCore Core { get; }

    public IPEndPoint EndPoint => host.LocalEndPoint;

    public Task<T> ReadAsync<T>(Func<NodeCore, T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Post(() => result.SetResult(read(Core)));
        return result.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await run;
        host.Dispose();
        stop.Dispose();
    }
}
