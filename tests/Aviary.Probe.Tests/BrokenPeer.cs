using System.Net;
using System.Text;
using System.Text.Json;

using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Probe.Tests;

/// <summary>
/// A small, deliberately wrong peer on 127.0.0.1: it answers GOSSIP to the datagram's source instead
/// of the originator, serves a chain with a tampered block, indexes GET_BLOCK from the end for
/// negative heights, and (optionally) reports the top index as a string where the count belongs.
/// </summary>
internal sealed class BrokenPeer : UdpFakePeer
{
    private readonly List<Block> chain;
    private readonly bool indexHeightAsString;

    public BrokenPeer(List<Block> chain, int tamperAt, bool indexHeightAsString = false)
    {
        this.chain = [.. chain];
        this.chain[tamperAt] = chain[tamperAt] with { Messages = ["tampered"] };
        this.indexHeightAsString = indexHeightAsString;
        Start("broken-peer");
    }

    protected override (string Json, EndPoint To)? Answer(string type, JsonElement j, IPEndPoint from)
    {
        switch (type)
        {
            case "STATS":
                var height = indexHeightAsString ? $"\"{chain.Count - 1}\"" : chain.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ($$"""{"type":"STATS_REPLY","height":{{height}},"hash":"{{chain[^1].Hash}}"}""", from);
            case "GOSSIP":
                // Wrong on purpose: back to whoever sent it, as if it were a request.
                return ("""{"type":"GOSSIP_REPLY","host":"127.0.0.1","port":1,"name":"broken"}""", from);
            case "GET_BLOCK" when j.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number && h.TryGetInt64(out var at):
                // Python-style: a negative index counts from the end.
                var index = at < 0 ? chain.Count + at : at;
                return (index >= 0 && index < chain.Count ? Encoding.UTF8.GetString(MessageEncoder.Encode(new GetBlockReply(chain[(int)index]))) : NullBlockReply, from);
            default:
                return null;
        }
    }
}
