using System.Net;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Testing;

/// <summary>
/// One of our own nodes on a loopback address (127.0.0.1 unless <c>bind</c> says otherwise), its UDP
/// host on its own threads, holding a given chain and joining through <c>entry</c> if one is named:
/// a real peer on a real socket, for the prober, the census and other tests that talk UDP to it.
/// </summary>
public sealed class LoopbackNode : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task run;

    public LoopbackNode(string name, IReadOnlyList<Block> chain, int difficulty, IPAddress? bind = null, IPEndPoint? entry = null, int seed = 3)
    {
        bind ??= IPAddress.Loopback;
        var store = new InMemoryChainStore();
        store.Append(chain);
        Host = new UdpHost(new IPEndPoint(bind, 0), NullLogger.Instance);
        var options = new NodeOptions
        {
            Name = name,
            AdvertisedHost = bind.ToString(),
            Port = Host.LocalEndPoint.Port,
            Difficulty = difficulty,
            Bootstrap = entry is null ? [] : [PeerAddress.From(entry)],
        };
        Core = new NodeCore(options, new LocalChain(store, difficulty), Host, TimeProvider.System, NullLogger.Instance, new Random(seed));
        Name = name;
        run = Host.RunAsync(Core, stop.Token);
    }

    public string Name { get; }

    public NodeCore Core { get; }

    public UdpHost Host { get; }

    public IPEndPoint EndPoint => Host.LocalEndPoint;

    public string Address => $"{EndPoint.Address}:{EndPoint.Port}";

    /// <summary>Reads the core on its own thread.</summary>
    public Task<T> ReadAsync<T>(Func<NodeCore, T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Host.Post(() => result.SetResult(read(Core)));
        return result.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await run;
        Host.Dispose();
        stop.Dispose();
    }
}
