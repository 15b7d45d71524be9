using System.Net;

using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>Real UDP sockets on 127.0.0.1: three nodes find each other through one bootstrap.</summary>
public sealed class ThreeNodeGossipTests
{
    [Fact]
    public async Task Each_node_learns_of_the_other_two_through_gossip()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var hosts = new List<UdpHost>();
        var cores = new List<NodeCore>();
        var runs = new List<Task>();
        try
        {
            PeerAddress? bootstrap = null;
            for (var i = 0; i < 3; i++)
            {
                var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
                var options = new NodeOptions
                {
                    Name = $"node{i}",
                    AdvertisedHost = "127.0.0.1",
                    Port = host.LocalEndPoint.Port,
                    Bootstrap = bootstrap is { } b ? [b] : [],
                    Difficulty = 1,
                };
                var core = new NodeCore(options, new LocalChain(new InMemoryChainStore(), 1), host, TimeProvider.System, NullLogger.Instance, new Random(i));
                hosts.Add(host);
                cores.Add(core);
                runs.Add(host.RunAsync(core, stop.Token));
                bootstrap ??= new PeerAddress("127.0.0.1", host.LocalEndPoint.Port);
            }

            // Bounded wait: poll each node's view through its own thread until all know two peers.
            while (!stop.IsCancellationRequested)
            {
                var counts = await Task.WhenAll(hosts.Select((h, i) => OnCoreThread(h, () => cores[i].Peers.Count)));
                if (counts.All(c => c == 2))
                {
                    break;
                }

                await Task.Delay(50, CancellationToken.None);
            }

            for (var i = 0; i < 3; i++)
            {
                var known = await OnCoreThread(hosts[i], () => cores[i].Peers.All.Select(p => p.Address.Port).Order().ToArray());
                var others = hosts.Where((_, j) => j != i).Select(h => h.LocalEndPoint.Port).Order().ToArray();
                Assert.Equal(others, known);
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
}
