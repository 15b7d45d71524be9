using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Probe.Tests;

/// <summary>
/// A peer whose chain grows by one block right after every STATS it answers, as a mining peer's
/// does between a prober's STATS and its next request: the block one past the top it reported
/// exists by the time it is asked for. It answers STATS and GET_BLOCK only.
/// </summary>
internal sealed class GrowingPeer : UdpFakePeer
{
    private readonly List<Block> chain;
    private int visible;

    public GrowingPeer(List<Block> chain, int visible)
    {
        this.chain = chain;
        this.visible = visible;
        Start("growing-peer");
    }

    protected override (string Json, EndPoint To)? Answer(string type, JsonElement j, IPEndPoint from)
    {
        switch (type)
        {
            case "STATS":
                var reply = $$"""{"type":"STATS_REPLY","height":{{visible.ToString(CultureInfo.InvariantCulture)}},"hash":"{{chain[visible - 1].Hash}}"}""";
                visible = Math.Min(visible + 1, chain.Count);
                return (reply, from);
            case "GET_BLOCK" when j.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number && h.TryGetInt64(out var at):
                return (at >= 0 && at < visible ? Encoding.UTF8.GetString(MessageEncoder.Encode(new GetBlockReply(chain[(int)at]))) : NullBlockReply, from);
            default:
                return null;
        }
    }
}
