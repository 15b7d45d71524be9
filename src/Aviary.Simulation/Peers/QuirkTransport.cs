using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Simulation.Peers;

/// <summary>
/// Wraps an honest core's transport and rewrites what it sends the way quirky real peers do: from
/// another port, with one gossip id for every keep-alive, with numbers as strings.
/// </summary>
public sealed class QuirkTransport(PeerContext context, NodeOptions options, Quirks quirks) : ITransport
{
    /// <summary>How far the second socket's port is from the advertised one.</summary>
    public const int OtherPortOffset = 1000;

    private readonly string fixedId = $"{options.Id}-keepalive";

    /// <summary>Datagrams rewritten so far.</summary>
    public long Rewritten { get; private set; }

    /// <summary>The source address of a peer with <see cref="Quirks.OtherPort"/>.</summary>
    public static PeerAddress SendingAddress(NodeOptions options) =>
        new(options.AdvertisedHost, options.Port + OtherPortOffset > 65535 ? options.Port - OtherPortOffset : options.Port + OtherPortOffset);

    public void Send(PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        var bytes = datagram.ToArray();
        if (quirks.HasFlag(Quirks.FixedGossipId))
        {
            bytes = WithFixedGossipId(bytes);
        }

        if (quirks.HasFlag(Quirks.StringNumbers))
        {
            bytes = WithStringNumbers(bytes);
        }

        var source = quirks.HasFlag(Quirks.OtherPort) ? SendingAddress(options) : context.Address;
        context.SendAs(source, to, bytes);
    }

    /// <summary>Our own GOSSIP (not one we forward) goes out with the same id every round.</summary>
    private byte[] WithFixedGossipId(byte[] bytes)
    {
        if (MessageDecoder.Decode(bytes).Message is Gossip g && g.Host == options.AdvertisedHost && g.Port == options.Port && g.Id != fixedId)
        {
            Rewritten++;
            return MessageEncoder.Encode(g with { Id = fixedId });
        }

        return bytes;
    }

    /// <summary>Re-serialises the object Python-style, with <c>height</c> and <c>port</c> as strings.</summary>
    private byte[] WithStringNumbers(byte[] bytes)
    {
        if (JsonNode.Parse(bytes) is not JsonObject obj)
        {
            return bytes;
        }

        var text = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in obj)
        {
            text.Append(first ? string.Empty : ", ").Append(JsonSerializer.Serialize(key)).Append(": ");
            first = false;
            if (key is "height" or "port" && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            {
                text.Append('"').Append(v.ToJsonString()).Append('"');
            }
            else if (value is JsonArray array)
            {
                text.Append('[').AppendJoin(", ", array.Select(item => item?.ToJsonString() ?? "null")).Append(']');
            }
            else
            {
                text.Append(value?.ToJsonString() ?? "null");
            }
        }

        var rewritten = Encoding.UTF8.GetBytes(text.Append('}').ToString());
        if (rewritten.Length > WireLimits.MaxOutboundDatagram)
        {
            return bytes;
        }

        Rewritten++;
        return rewritten;
    }
}
