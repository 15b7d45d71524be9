using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

using Aviary.Protocol;

namespace Aviary.Probe.Tests;

/// <summary>
/// A peer whose chain grows by one block right after every STATS it answers, as a mining peer's
/// does between a prober's STATS and its next request: the block one past the top it reported
/// exists by the time it is asked for. It answers STATS and GET_BLOCK only.
/// </summary>
internal sealed class GrowingPeer : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<Block> chain;
    private readonly Thread thread;
    private volatile bool stopped;
    private int visible;

    public GrowingPeer(List<Block> chain, int visible)
    {
        this.chain = chain;
        this.visible = visible;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        thread = new Thread(Serve) { IsBackground = true, Name = "growing-peer" };
        thread.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)socket.LocalEndPoint!;

    public void Dispose()
    {
        stopped = true;
        thread.Join();
        socket.Dispose();
    }

    private void Serve()
    {
        var buffer = new byte[65_536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!stopped)
        {
            if (!socket.Poll(20_000, SelectMode.SelectRead))
            {
                continue;
            }

            var n = socket.ReceiveFrom(buffer, ref from);
            if (Answer(buffer.AsSpan(0, n)) is { } reply)
            {
                socket.SendTo(Encoding.UTF8.GetBytes(reply), from);
            }
        }
    }

    private string? Answer(ReadOnlySpan<byte> datagram)
    {
        JsonElement j;
        try
        {
            j = JsonDocument.Parse(datagram.ToArray()).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }

        if (j.ValueKind != JsonValueKind.Object || !j.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? name;
        try
        {
            name = type.GetString();
        }
        catch (InvalidOperationException)
        {
            // The prober's junk check sends invalid UTF-8.
            return null;
        }

        switch (name)
        {
            case "STATS":
                var reply = $$"""{"type":"STATS_REPLY","height":{{visible.ToString(CultureInfo.InvariantCulture)}},"hash":"{{chain[visible - 1].Hash}}"}""";
                visible = Math.Min(visible + 1, chain.Count);
                return reply;
            case "GET_BLOCK" when j.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number && h.TryGetInt64(out var at):
                return at >= 0 && at < visible
                    ? Encoding.UTF8.GetString(MessageEncoder.Encode(new GetBlockReply(chain[(int)at])))
                    : """{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":null}""";
            default:
                return null;
        }
    }
}
