using System.Net;
using System.Net.Sockets;
using System.Text;

using Aviary.Hosting;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>The composition <c>aviary run</c> uses, started in-process: a node on loopback, and the failures it reports instead of starting.</summary>
public sealed class NodeHostTests
{
    private static readonly NodeSettings Loopback = new() { InMemory = true, Bind = "127.0.0.1", Host = "127.0.0.1", Port = 0, WebPort = 0 };

    [Fact]
    public async Task An_in_memory_node_on_loopback_answers_stats_until_stopped()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var node = NodeHost.Create(Loopback, NullLoggerFactory.Instance, out var failure);
        Assert.Null(failure);
        Assert.NotNull(node);
        await using (node)
        {
            var run = node.RunAsync(stop.Token);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            client.SendTo(Encoding.UTF8.GetBytes("{\"type\":\"STATS\"}"), node.Udp.LocalEndPoint);
            var buffer = new byte[2048];
            var n = await client.ReceiveAsync(buffer, stop.Token);
            Assert.IsType<StatsReply>(MessageDecoder.Decode(buffer.AsSpan(0, n)).Message);

            await stop.CancelAsync();
            await run;
        }
    }

    [Fact]
    public void A_bind_that_is_not_an_address_is_a_bad_setting()
    {
        var node = NodeHost.Create(Loopback with { Bind = "localhost" }, NullLoggerFactory.Instance, out var failure);
        Assert.Null(node);
        Assert.Equal(new StartFailure(StartFailureKind.BadSettings, "--bind must be an IP address, got \"localhost\""), failure);
    }

    [Fact]
    public void A_malformed_chain_file_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a chain");
            var node = NodeHost.Create(Loopback with { ChainFile = path }, NullLoggerFactory.Instance, out var failure);
            Assert.Null(node);
            Assert.Equal(StartFailureKind.ChainRefused, failure?.Kind);
            Assert.StartsWith($"--chain {path} is malformed: ", failure?.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
