using System.Net;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Crash.Tests;

/// <summary>
/// An in-process node on 127.0.0.1 serving a fixed chain, counting every GET_BLOCK it receives per
/// source port and height (each restarted node gets its own port, so counts are per run even when
/// a killed run's last requests arrive late).
/// </summary>
internal sealed class ServingNode : IAsyncDisposable
{
    private readonly UdpHost host;
    private readonly CancellationTokenSource stop = new();
    private readonly Task run;
    private readonly Lock gate = new();
    private readonly Dictionary<int, Dictionary<long, int>> requests = [];

    public ServingNode(IReadOnlyList<Block> chain)
    {
        var store = new InMemoryChainStore();
        store.Append(chain);
        host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var options = new NodeOptions
        {
            Name = "crash-server",
            AdvertisedHost = "127.0.0.1",
            Port = host.LocalEndPoint.Port,
            Difficulty = CrashChain.Difficulty,
            Id = "crash-server",
        };
        var core = new NodeCore(options, new LocalChain(store, CrashChain.Difficulty), host, TimeProvider.System, NullLogger.Instance, new Random(1));
        core.MessageHandled += Count;
        run = host.RunAsync(core, stop.Token);
    }

    public PeerAddress Address => new("127.0.0.1", host.LocalEndPoint.Port);

    /// <summary>GET_BLOCKs received from <paramref name="port"/> so far, per height.</summary>
    public Dictionary<long, int> RequestsFrom(int port)
    {
        lock (gate)
        {
            return requests.TryGetValue(port, out var byHeight) ? new(byHeight) : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await run;
        host.Dispose();
        stop.Dispose();
    }

    /// <summary>Runs on the server's core thread.</summary>
    private void Count(PeerAddress from, Message message)
    {
        if (message is not GetBlock { Height: { } height })
        {
            return;
        }

        lock (gate)
        {
            if (!requests.TryGetValue(from.Port, out var byHeight))
            {
                requests[from.Port] = byHeight = [];
            }

            byHeight[height] = byHeight.GetValueOrDefault(height) + 1;
        }
    }
}
