using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

using Aviary.Protocol;

namespace Aviary.Census;

/// <summary>
/// The census's short-lived membership: one UDP socket that joins through the entry peer with a GOSSIP,
/// answers as a peer must (GOSSIP_REPLY to the originator once per id and address per 10 s, an empty
/// STATS_REPLY), and writes every peer it hears of — from GOSSIPs (direct or forwarded) and from
/// GOSSIP_REPLYs — to <see cref="Found"/>, once each, at most <see cref="CensusOptions.MaxPeers"/>.
/// It sends only to the entry, to originators named in GOSSIPs it received, and to peers a reply
/// named (one GOSSIP each, so that they pass it on and their peers answer too).
/// </summary>
public sealed class Discovery : IDisposable
{
    private static readonly TimeSpan ReplyInterval = TimeSpan.FromSeconds(10);
    private static readonly byte[] EmptyStatsReply = MessageEncoder.Encode(new StatsReply(null, null));

    private readonly CensusOptions options;
    private readonly Socket socket;
    private readonly Channel<PeerSighting> found = Channel.CreateUnbounded<PeerSighting>();
    private readonly Dictionary<string, PeerSighting> known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> lastReply = new(StringComparer.Ordinal);
    private readonly HashSet<string> ignoredNames;
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    private long round;

    public Discovery(CensusOptions options, IEnumerable<string>? ignoredNames = null)
    {
        this.options = options;
        this.ignoredNames = new HashSet<string>(ignoredNames ?? [], StringComparer.Ordinal);
        socket = new Socket(options.Entry.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(options.Bind, 0));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The census socket's port (named in our GOSSIP).</summary>
    public int Port { get; }

    /// <summary>Peers in the order they were first heard of.</summary>
    public ChannelReader<PeerSighting> Found => found.Reader;

    /// <summary>When the last new peer was heard of.</summary>
    public DateTimeOffset LastNew { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Peers heard of past the bound, not recorded.</summary>
    public int Dropped { get; private set; }

    /// <summary>The name the peer gave last (its own GOSSIP or GOSSIP_REPLY), or the one first heard.</summary>
    public string NameOf(string address)
    {
        lock (known)
        {
            return names.GetValueOrDefault(address) ?? "?";
        }
    }

    /// <summary>Every peer recorded, in the order first heard of.</summary>
    public IReadOnlyList<PeerSighting> All
    {
        get
        {
            lock (known)
            {
                return [.. known.Values];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (known)
            {
                return known.Count;
            }
        }
    }

    /// <summary>Records the entry peer and sends it our GOSSIP; then listens until <see cref="Dispose"/>.</summary>
    public async Task StartAsync(string entryName, CancellationToken cancel)
    {
        Record(new PeerSighting(options.Entry.Address.ToString(), options.Entry.Port, entryName, "entry"), gossip: false);
        await SendGossipAsync(options.Entry, cancel);
        loop = Task.Run(ReceiveLoop, CancellationToken.None);
    }

    /// <summary>Sends the entry a fresh GOSSIP (another round of the entry's random forwards).</summary>
    public Task GossipToEntryAsync(CancellationToken cancel) => SendGossipAsync(options.Entry, cancel);

    /// <summary>Ends discovery: no more peers are written to <see cref="Found"/>.</summary>
    public void Complete() => found.Writer.TryComplete();

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try
        {
            loop?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        found.Writer.TryComplete();
        stop.Dispose();
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[WireLimits.MaxInboundDatagram + 1];
        EndPoint any = new IPEndPoint(options.Entry.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult got;
            try
            {
                got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var from = (IPEndPoint)got.RemoteEndPoint;
            var decoded = MessageDecoder.Decode(buffer.AsSpan(0, got.ReceivedBytes));
            switch (decoded.Message)
            {
                case Gossip g:
                    await OnGossipAsync(from, g);
                    break;
                case GossipReply r:
                    Record(new PeerSighting(r.Host, r.Port, r.Name, $"GOSSIP_REPLY from {from}"), gossip: true);
                    break;
                case Stats:
                    await SendAsync(EmptyStatsReply, from);
                    break;
            }
        }
    }

    private async Task OnGossipAsync(IPEndPoint from, Gossip g)
    {
        if (ignoredNames.Contains(g.Name))
        {
            return;
        }

        var heard = from.Address.ToString() == g.Host && from.Port == g.Port ? "GOSSIP" : $"GOSSIP via {from}";
        var sighting = new PeerSighting(g.Host, g.Port, g.Name, heard);
        Record(sighting, gossip: false);
        if (Endpoint(sighting) is { } originator && MayReply(sighting.Address))
        {
            await SendAsync(MessageEncoder.Encode(new GossipReply(options.AdvertisedHost, Port, options.Name)), originator);
        }
    }

    private bool MayReply(string address)
    {
        var now = DateTimeOffset.UtcNow;
        lock (lastReply)
        {
            if (lastReply.TryGetValue(address, out var at) && now - at < ReplyInterval)
            {
                return false;
            }

            if (lastReply.Count >= options.MaxPeers * 4)
            {
                lastReply.Clear();
            }

            lastReply[address] = now;
            return true;
        }
    }

    /// <summary>Adds a peer heard of for the first time (a bounded number); a new peer named by a reply gets one GOSSIP of ours.</summary>
    private void Record(PeerSighting sighting, bool gossip)
    {
        if (Endpoint(sighting) is not { } at || (sighting.Host == options.AdvertisedHost && sighting.Port == Port))
        {
            return;
        }

        lock (known)
        {
            if (known.ContainsKey(sighting.Address))
            {
                if (sighting.HeardFrom != "entry")
                {
                    names[sighting.Address] = sighting.Name;
                }

                return;
            }

            if (known.Count >= options.MaxPeers)
            {
                Dropped++;
                return;
            }

            known[sighting.Address] = sighting;
            names[sighting.Address] = sighting.Name;
            LastNew = DateTimeOffset.UtcNow;
        }

        found.Writer.TryWrite(sighting);
        if (gossip)
        {
            _ = SendGossipAsync(at, stop.Token);
        }
    }

    /// <summary>An address we may send to: an IP literal (names are not resolved) and a valid port.</summary>
    private static IPEndPoint? Endpoint(PeerSighting s) =>
        IPAddress.TryParse(s.Host, out var ip) && s.Port is > 0 and <= 65535 ? new IPEndPoint(ip, s.Port) : null;

    private Task SendGossipAsync(IPEndPoint to, CancellationToken cancel)
    {
        var id = $"{options.Name}-{Port}-{Interlocked.Increment(ref round)}-{Guid.NewGuid():N}";
        return SendAsync(MessageEncoder.Encode(new Gossip(options.AdvertisedHost, Port, id[..Math.Min(id.Length, 80)], options.Name)), to, cancel);
    }

    private async Task SendAsync(byte[] datagram, IPEndPoint to, CancellationToken cancel = default)
    {
        try
        {
            await socket.SendToAsync(datagram, SocketFlags.None, to, cancel);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Lost, as UDP may be.
        }
    }
}
