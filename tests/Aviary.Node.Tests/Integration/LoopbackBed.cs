using System.Net;

using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Node.Udp;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>
/// Real nodes on 127.0.0.1 (ephemeral ports), each on its own UdpHost thread, stopped and disposed
/// together. Shared by the loopback integration tests.
/// </summary>
internal sealed class LoopbackBed(TimeSpan deadline) : IAsyncDisposable
{
    private readonly List<UdpHost> hosts = [];
    private readonly List<Task> runs = [];

    public CancellationTokenSource Stop { get; } = new(deadline);

    /// <summary>Starts a node holding <paramref name="chain"/> that joins through <paramref name="bootstrap"/>.</summary>
    public (UdpHost Host, NodeCore Core, PeerAddress Address) Start(string name, IReadOnlyList<Block> chain, IReadOnlyList<PeerAddress> bootstrap, int seed, Func<UdpHost, ITransport>? transport = null)
    {
        var store = new InMemoryChainStore();
        if (chain.Count > 0)
        {
            store.Append(chain);
        }

        var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var options = new NodeOptions
        {
            Name = name,
            AdvertisedHost = "127.0.0.1",
            Port = host.LocalEndPoint.Port,
            Bootstrap = bootstrap,
            Difficulty = 1,
        };
        var core = new NodeCore(options, new LocalChain(store, 1), transport?.Invoke(host) ?? host, TimeProvider.System, NullLogger.Instance, new Random(seed));
        hosts.Add(host);
        runs.Add(host.RunAsync(core, Stop.Token));
        return (host, core, new PeerAddress("127.0.0.1", host.LocalEndPoint.Port));
    }

    /// <summary>Reads core state on the core's own thread.</summary>
    public static Task<T> OnCoreThread<T>(UdpHost host, Func<T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Post(() => result.SetResult(read()));
        return result.Task;
    }

    /// <summary>Completes when <paramref name="core"/>'s chain reaches <paramref name="count"/> blocks.</summary>
    public static Task Reaches(NodeCore core, long count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        core.Chain.Changed += _ =>
        {
            if (core.Chain.Count == count)
            {
                done.TrySetResult();
            }
        };
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();
        await Task.WhenAll(runs);
        hosts.ForEach(h => h.Dispose());
        Stop.Dispose();
    }
}
