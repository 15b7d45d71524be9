using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

using Aviary.Protocol;

namespace Aviary.Probe;

/// <summary>A datagram one of the probe's sockets received, with its JSON parsed when it is an object.</summary>
public sealed record Datagram(DateTimeOffset At, IPEndPoint From, byte[] Bytes, JsonElement? Json)
{
    /// <summary>The <c>type</c> field, when the datagram is a JSON object with a string type.</summary>
    public string? Type => Text("type");

    /// <summary>A string field, or null.</summary>
    public string? Text(string name) => Json is { } j && j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The datagram as printable evidence: control characters escaped, cut at <paramref name="max"/> characters.</summary>
    public string Show(int max = 240) => Evidence.Printable(Encoding.UTF8.GetString(Bytes), max);
}

/// <summary>
/// One UDP socket of the probe on an ephemeral port. A background loop receives into a channel;
/// STATS requests from the peer (its consensus asking us) are answered at once with an empty
/// STATS_REPLY and logged apart, so the peer's rounds end quickly and the consensus check can see them.
/// </summary>
internal sealed class ProbeSocket : IDisposable
{
    private static readonly byte[] EmptyStatsReply = """{"type":"STATS_REPLY","height":null,"hash":null}"""u8.ToArray();

    private readonly Socket socket;
    private readonly IPEndPoint target;
    private readonly Channel<Datagram> inbox = Channel.CreateBounded<Datagram>(new BoundedChannelOptions(8192) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly List<DateTimeOffset> statsRequests = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private readonly RequestPacer? pacer;

    public ProbeSocket(IPAddress bind, IPEndPoint target, RequestPacer? pacer = null)
    {
        this.target = target;
        this.pacer = pacer;
        socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(bind, 0));
        replyHost = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bind.ToString();
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        loop = Task.Run(ReceiveLoop);
    }

    public int Port { get; }

    private readonly string replyHost;

    /// <summary>When the peer sent us STATS (its consensus asking), in arrival order.</summary>
    public IReadOnlyList<DateTimeOffset> StatsRequests
    {
        get
        {
            lock (statsRequests)
            {
                return [.. statsRequests];
            }
        }
    }

    /// <summary>Sends a request to the target, after the pacer (if any) allows it.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancel)
    {
        if (pacer is not null)
        {
            await pacer.WaitAsync(cancel);
        }

        await ReplyAsync(datagram, cancel);
    }

    /// <summary>Sends at once: answers to the target's own requests are not paced.</summary>
    private async Task ReplyAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancel)
    {
        try
        {
            await socket.SendToAsync(datagram, SocketFlags.None, target, cancel);
        }
        catch (SocketException)
        {
            // Too large for this system, or an ICMP error from an earlier send: as if lost.
        }
    }

    /// <summary>Sends JSON as it is, as a course peer or a person with <c>nc</c> would.</summary>
    public Task SendAsync(string json, CancellationToken cancel) => SendAsync(Encoding.UTF8.GetBytes(json), cancel);

    /// <summary>Throws away everything received so far (late replies to earlier checks).</summary>
    public void Drain()
    {
        while (inbox.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>The next datagram matching <paramref name="match"/> within <paramref name="timeout"/>, or null.</summary>
    public async Task<Datagram?> WaitAsync(Func<Datagram, bool> match, TimeSpan timeout, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var d = await inbox.Reader.ReadAsync(limit.Token);
                if (match(d))
                {
                    return d;
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Everything that arrives within <paramref name="window"/>.</summary>
    public async Task<List<Datagram>> CollectAsync(TimeSpan window, CancellationToken cancel)
    {
        var all = new List<Datagram>();
        var deadline = DateTimeOffset.UtcNow + window;
        while (deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } left && await WaitAsync(_ => true, left, cancel) is { } d)
        {
            all.Add(d);
        }

        return all;
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[65_536];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult got;
            try
            {
                got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var bytes = buffer.AsSpan(0, got.ReceivedBytes).ToArray();
            var d = new Datagram(DateTimeOffset.UtcNow, (IPEndPoint)got.RemoteEndPoint, bytes, Parse(bytes));
            if (d.Type == "STATS")
            {
                lock (statsRequests)
                {
                    statsRequests.Add(d.At);
                }

                await ReplyAsync(EmptyStatsReply, CancellationToken.None);
                continue;
            }

            if (d.Type == "GOSSIP" && d.From.Equals(target))
            {
                // Answer like a real peer, so the peer can prove this socket receives (its amplification
                // guard challenges new addresses with a GOSSIP). The GOSSIP still goes to the inbox.
                await ReplyAsync(MessageEncoder.Encode(new GossipReply(replyHost, Port, "aviary-probe")), CancellationToken.None);
            }

            inbox.Writer.TryWrite(d);
        }
    }

    /// <summary>The datagram as a JSON object; null for anything else, invalid UTF-8 included (so reading strings never throws).</summary>
    internal static JsonElement? Parse(byte[] bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
