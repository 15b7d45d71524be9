using System.Net;

using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Node.Hosting;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>
/// Real UDP on 127.0.0.1, as <c>aviary bench sync</c> runs it: a node syncs from four servers with the
/// default limits, and no server rate-limits it or withholds a block from it. (Servers may withhold
/// STATS_REPLYs from each other until they prove themselves: they learn of one another second-hand.)
/// </summary>
public sealed class LimitsUnderSyncTests
{
    [Fact]
    public async Task A_full_speed_sync_from_four_servers_never_hits_a_limit()
    {
        var chain = TestBlocks.Chain(5000);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var hosts = new List<UdpHost>();
        var servers = new List<NodeCore>();
        var runs = new List<Task>();
        try
        {
            var addresses = new List<PeerAddress>();
            for (var i = 0; i < 4; i++)
            {
                var store = new InMemoryChainStore();
                store.Append(chain);
                var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
                var core = new NodeCore(Options(host, $"server{i}", []), new LocalChain(store, 1), host, TimeProvider.System, NullLogger.Instance, new Random(i));
                hosts.Add(host);
                servers.Add(core);
                runs.Add(host.RunAsync(core, stop.Token));
                addresses.Add(new PeerAddress("127.0.0.1", host.LocalEndPoint.Port));
            }

            var syncHost = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
            hosts.Add(syncHost);
            var local = new LocalChain(new InMemoryChainStore(), 1);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            local.Changed += _ =>
            {
                if (local.Count == chain.Count)
                {
                    done.TrySetResult();
                }
            };
            var syncing = new NodeCore(Options(syncHost, "syncing", addresses), local, syncHost, TimeProvider.System, NullLogger.Instance, new Random(9));
            runs.Add(syncHost.RunAsync(syncing, stop.Token));
            await done.Task.WaitAsync(stop.Token);

            for (var i = 0; i < servers.Count; i++)
            {
                var server = servers[i];
                var (limited, withheld, served) = await OnCoreThread(hosts[i], () => (server.Counters.RateLimited, server.Counters.WithheldByType.GetValueOrDefault("GET_BLOCK_REPLY"), server.Counters.Sent.GetValueOrDefault("GET_BLOCK_REPLY")));
                Assert.Equal(0, limited);
                Assert.Equal(0, withheld);
                // Serving blocks means it answered the syncing node's STATS too (only claimers are asked).
                Assert.True(served > 0, $"server {i} served no block");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
            hosts.ForEach(h => h.Dispose());
        }
    }

    private static Task<T> OnCoreThread<T>(UdpHost host, Func<T> read)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Post(() => result.SetResult(read()));
        return result.Task;
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
