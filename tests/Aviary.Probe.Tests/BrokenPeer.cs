using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

using Aviary.Protocol;

namespace Aviary.Probe.Tests;

/// <summary>
/// A small, deliberately wrong peer on 127.0.0.1: it answers GOSSIP to the datagram's source instead
/// of the originator, serves a chain with a tampered block, indexes GET_BLOCK from the end for
/// negative heights, and (optionally) reports the top index as a string where the count belongs.
/// </summary>
internal sealed class BrokenPeer : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<Block> chain;
    private readonly bool indexHeightAsString;
    private readonly Thread thread;
    private volatile bool stopped;

    public BrokenPeer(List<Block> chain, int tamperAt, bool indexHeightAsString = false)
    {
        this.chain = [.. chain];
        this.chain[tamperAt] = chain[tamperAt] with { Messages = ["tampered"] };
        this.indexHeightAsString = indexHeightAsString;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        thread = new Thread(Serve) { IsBackground = true, Name = "broken-peer" };
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

            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }

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
            return null;
        }

        switch (name)
        {
            case "STATS":
                var height = indexHeightAsString ? $"\"{chain.Count - 1}\"" : chain.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return $$"""{"type":"STATS_REPLY","height":{{height}},"hash":"{{chain[^1].Hash}}"}""";
            case "GOSSIP":
                // Wrong on purpose: back to whoever sent it, as if it were a request.
                return """{"type":"GOSSIP_REPLY","host":"127.0.0.1","port":1,"name":"broken"}""";
            case "GET_BLOCK" when j.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number && h.TryGetInt64(out var at):
                // Python-style: a negative index counts from the end.
                var index = at < 0 ? chain.Count + at : at;
                return index >= 0 && index < chain.Count
                    ? Encoding.UTF8.GetString(MessageEncoder.Encode(new GetBlockReply(chain[(int)index])))
                    : """{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":null}""";
            default:
                return null;
        }
    }
}
