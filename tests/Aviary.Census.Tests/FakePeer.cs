using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Census.Tests;

/// <summary>How a <see cref="FakePeer"/> gets the protocol wrong (or not).</summary>
public enum Fault
{
    /// <summary>Follows the protocol (it may still hold another chain).</summary>
    None,

    /// <summary>Sends GOSSIP_REPLY to the datagram's source, not to the originator the GOSSIP names.</summary>
    ReplyToSender,

    /// <summary>Serves one block with its messages changed (its hash no longer matches).</summary>
    TamperedBlock,

    /// <summary>Answers GET_BLOCK -1 with its top block (Python's negative index).</summary>
    NegativeIndexesFromEnd,

    /// <summary>Gossips to join, then answers nothing at all.</summary>
    Silent,
}

/// <summary>
/// A small peer on 127.0.0.1 with one deliberate fault: it joins through <c>entry</c> with a GOSSIP
/// (a fresh id every 250 ms, so the network keeps hearing of it), and serves <c>chain</c>.
/// </summary>
public sealed class FakePeer : UdpFakePeer
{
    private static readonly TimeSpan GossipEvery = TimeSpan.FromMilliseconds(250);
    private readonly List<Block> chain;
    private readonly Fault fault;
    private readonly IPEndPoint entry;
    private readonly Thread gossip;
    private readonly ManualResetEventSlim stop = new();
    private int round;

    public FakePeer(string name, Fault fault, IReadOnlyList<Block> chain, IPEndPoint entry, int tamperAt = 4)
    {
        Name = name;
        this.fault = fault;
        this.entry = entry;
        this.chain = [.. chain];
        if (fault == Fault.TamperedBlock)
        {
            this.chain[tamperAt] = chain[tamperAt] with { Messages = ["tampered"] };
        }

        gossip = new Thread(Gossip) { IsBackground = true, Name = $"fake-{name}-gossip" };
        Start($"fake-{name}");
        gossip.Start();
    }

    public string Name { get; }

    public string Address => $"127.0.0.1:{EndPoint.Port}";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            stop.Set();
            gossip.Join();
            stop.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override (string Json, EndPoint To)? Answer(string type, JsonElement j, IPEndPoint from)
    {
        if (fault == Fault.Silent)
        {
            return null;
        }

        switch (type)
        {
            case "STATS":
                return ($$"""{"type":"STATS_REPLY","height":{{chain.Count.ToString(CultureInfo.InvariantCulture)}},"hash":"{{chain[^1].Hash}}"}""", from);
            case "GOSSIP" when j.TryGetProperty("host", out var host) && j.TryGetProperty("port", out var port) && port.TryGetInt32(out var p):
                var reply = Encoding.UTF8.GetString(MessageEncoder.Encode(new GossipReply("127.0.0.1", EndPoint.Port, Name)));
                return fault == Fault.ReplyToSender || !IPAddress.TryParse(host.GetString(), out var ip) ? (reply, from) : (reply, new IPEndPoint(ip, p));
            case "GET_BLOCK" when j.TryGetProperty("height", out var h) && h.ValueKind == JsonValueKind.Number && h.TryGetInt64(out var at):
                var index = at < 0 && fault == Fault.NegativeIndexesFromEnd ? chain.Count + at : at;
                return (index >= 0 && index < chain.Count ? Encoding.UTF8.GetString(MessageEncoder.Encode(new GetBlockReply(chain[(int)index]))) : NullBlockReply, from);
            case "GET_BLOCK":
                return (NullBlockReply, from);
            default:
                return null;
        }
    }

    private void Gossip()
    {
        while (!stop.IsSet)
        {
            var g = new Gossip("127.0.0.1", EndPoint.Port, $"fake-{Name}-{round++}", Name);
            Send(MessageEncoder.Encode(g), entry);
            stop.Wait(GossipEvery);
        }
    }
}
