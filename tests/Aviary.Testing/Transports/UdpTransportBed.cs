using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Limits;
using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Testing.Transports;

/// <summary>
/// The real transport: each node a <see cref="UdpHost"/> on 127.0.0.1 with its own core thread, each
/// client a plain socket on 127.0.0.1; nothing leaves the machine. Every wait is bounded.
/// </summary>
public sealed class UdpTransportBed : ITransportBed
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource stop = new(TimeSpan.FromSeconds(60));
    private readonly SemaphoreSlim changed = new(0);
    private readonly List<UdpHost> hosts = [];
    private readonly List<Task> runs = [];
    private readonly List<Client> clients = [];

    public IBedClient OpenClient()
    {
        var client = new Client(changed, stop.Token);
        clients.Add(client);
        return client;
    }

    public IBedNode StartNode(string name, IReadOnlyList<PeerAddress> trusted)
    {
        var host = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var address = new PeerAddress("127.0.0.1", host.LocalEndPoint.Port);
        var options = new NodeOptions { Name = name, Id = name, AdvertisedHost = address.Host, Port = address.Port, Difficulty = 1, Trusted = trusted, RateLimits = RateLimits.Unlimited };
        var core = new NodeCore(options, new LocalChain(new InMemoryChainStore(), options.Difficulty), host, TimeProvider.System, NullLogger.Instance, new Random(1));
        var node = new BedNode(address, host.Post, () => core, changed);
        core.MessageHandled += node.Record;
        hosts.Add(host);
        runs.Add(host.RunAsync(core, stop.Token));
        return node;
    }

    public async Task<bool> RunUntilAsync(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            var left = Bound - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await changed.WaitAsync(left, stop.Token))
            {
                return done();
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        hosts.ForEach(h => h.Dispose());
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        stop.Dispose();
        changed.Dispose();
    }

    /// <summary>A plain UDP socket on 127.0.0.1 whose receive loop records every datagram.</summary>
    private sealed class Client : IBedClient, IAsyncDisposable
    {
        // Buffers as large as the host's: a burst of small datagrams would overflow the default one.
        private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 * 1024 * 1024, SendBufferSize = 8 * 1024 * 1024 };
        private readonly BedLog<(PeerAddress, byte[])> received;
        private readonly Task receiving;

        public Client(SemaphoreSlim changed, CancellationToken stop)
        {
            received = new(changed);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Address = new PeerAddress("127.0.0.1", ((IPEndPoint)socket.LocalEndPoint!).Port);
            receiving = Receive(stop);
        }

        public PeerAddress Address { get; }

        public IReadOnlyList<(PeerAddress From, byte[] Bytes)> Received => received.Snapshot();

        public void Send(PeerAddress to, byte[] datagram) => socket.SendTo(datagram, new IPEndPoint(IPAddress.Parse(to.Host), to.Port));

        public async ValueTask DisposeAsync()
        {
            socket.Dispose();
            await receiving;
        }

        private async Task Receive(CancellationToken stop)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop);
                    var from = (IPEndPoint)r.RemoteEndPoint;
                    received.Add((new PeerAddress(from.Address.ToString(), from.Port), buffer.AsSpan(0, r.ReceivedBytes).ToArray()));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped: the bed is being disposed.
            }
        }
    }
}
