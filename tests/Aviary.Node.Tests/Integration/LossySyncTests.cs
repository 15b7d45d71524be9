using System.Net;

using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Node.Hosting;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>Real UDP on 127.0.0.1: a node syncs 2,000 blocks from three nodes, one dropping 20% of its replies.</summary>
public sealed class LossySyncTests
{
    [Fact]
    public async Task Node_syncs_two_thousand_blocks_from_three_nodes_one_of_them_lossy()
    {
        var chain = TestBlocks.Chain(2000);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var hosts = new List<UdpHost>();
        var runs = new List<Task>();
        try
        {
            var servers = new List<PeerAddress>();
            for (var i = 0; i < 3; i++)
            {
                var store = new InMemoryChainStore();
                store.Append(chain);
                var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
                ITransport transport = i == 2 ? new LossyTransport(host, 0.2, seed: 42) : host;
                var core = new NodeCore(Options(host, $"server{i}", []), new LocalChain(store, 1), transport, TimeProvider.System, NullLogger.Instance, new Random(i));
                hosts.Add(host);
                runs.Add(host.RunAsync(core, stop.Token));
                servers.Add(new PeerAddress("127.0.0.1", host.LocalEndPoint.Port));
            }

            var syncHost = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
            var local = new LocalChain(new InMemoryChainStore(), 1);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            local.Changed += _ =>
            {
                if (local.Count == chain.Count)
                {
                    done.TrySetResult();
                }
            };
            var syncing = new NodeCore(Options(syncHost, "syncing", servers), local, syncHost, TimeProvider.System, NullLogger.Instance, new Random(9));
            hosts.Add(syncHost);
            runs.Add(syncHost.RunAsync(syncing, stop.Token));

            await done.Task.WaitAsync(stop.Token);
            var top = new TaskCompletionSource<(long, string?)>();
            syncHost.Post(() => top.SetResult((local.Count, local.TopHash)));
            Assert.Equal((2000L, chain[^1].Hash), await top.Task);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
            hosts.ForEach(h => h.Dispose());
        }
    }

    private static NodeOptions Options(UdpHost host, string name, IReadOnlyList<PeerAddress> bootstrap) => new()
    {
        Name = name,
        AdvertisedHost = "127.0.0.1",
        Port = host.LocalEndPoint.Port,
        Bootstrap = bootstrap,
        Difficulty = 1,
    };
}
