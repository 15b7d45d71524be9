using System.Text;

using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// Sends junk to peers it knows, a few datagrams a second: random bytes, invalid UTF-8, truncated
/// and deeply nested JSON, non-objects, unknown types, well-formed messages with mistyped fields
/// (strings for ints, floats, nulls, out-of-range ports), and datagrams past every size limit.
/// </summary>
public sealed class GarbageSender(IReadOnlyList<PeerAddress> bootstrap) : Adversary(bootstrap)
{
    /// <summary>The mistyped templates it draws from.</summary>
    public static readonly string[] Templates =
    [
        """{"type":"GOSSIP","host":7,"port":"x","id":null,"name":[]}""",
        """{"type":"GOSSIP","host":"10.0.0.1","port":70000,"id":"a","name":"n"}""",
        """{"type":"GOSSIP","host":"","port":8999,"id":"","name":"n"}""",
        """{"type":"GOSSIP_REPLY","host":null,"port":-1}""",
        """{"type":"STATS_REPLY","height":"None","hash":"doing conensus"}""",
        """{"type":"STATS_REPLY","height":1e300,"hash":12}""",
        """{"type":"GET_BLOCK","height":"two"}""",
        """{"type":"GET_BLOCK","height":-1}""",
        """{"type":"GET_BLOCK","height":99999999999999999999999}""",
        """{"type":"GET_BLOCK_REPLY","height":3,"minedBy":null,"nonce":5,"messages":"no","hash":"zz","timestamp":1.5}""",
        """{"type":"ANNOUNCE","height":1,"minedBy":"x","nonce":844240035,"messages":["a"],"hash":"00","timestamp":1}""",
        """{"type":"ANNOUNCE","height":"1","minedBy":"x","nonce":"1","messages":[1,2],"hash":null,"timestamp":-5}""",
        """{"type":"NEW_WORD","word":{"a":1}}""",
        """{"type":"CONSENSUS","extra":[[[[]]]]}""",
        """{"type":42}""",
        """{"type":"FLOOD","host":"1.2.3.4","port":1}""",
        """{"host":"1.2.3.4","port":5,"height":"7","hash":"None"}""",
        """["Sorry, seems we don't have 17"]""",
        "\"just a string\"",
        """null""",
        """{"type":"GOSSIP","type":"STATS"}""",
        """{"type":"STATS",}""",
        """{'type': 'STATS'}""",
    ];

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    public override string Kind => "garbage sender";

    /// <summary>Junk datagrams sent.</summary>
    public long Junk { get; private set; }

    protected override void OnStart() => Context.Every(Interval, () =>
    {
        if (AnyPeer() is { } to)
        {
            Junk++;
            SendRaw(to, Make());
        }
    });

    protected override void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram)
    {
    }

    private byte[] Make()
    {
        var r = Context.Random;
        switch (r.Next(8))
        {
            case 0:
                {
                    var bytes = new byte[r.Next(0, 1500)];
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        bytes[i] = (byte)r.Next(256);
                    }

                    return bytes;
                }

            case 1:
                return [(byte)'{', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
            case 2:
                {
                    var full = Encoding.UTF8.GetBytes(r.Pick(Templates));
                    return full[..r.Next(0, full.Length)];
                }

            case 3:
                {
                    var depth = r.Next(5, 5000);
                    return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":[", depth)) + "1");
                }

            case 4:
                return Encoding.UTF8.GetBytes($"{{\"type\":\"GOSSIP\",\"host\":\"{new string('h', r.Next(200, 70_000))}\",\"port\":1,\"id\":\"x\",\"name\":\"n\"}}");
            case 5:
                return MessageEncoder.Encode(new Gossip("\u0001\u0000", r.Next(1, 65536), $"junk-{r.NextUInt():x8}", "\u00e9\u0007\ud83d\ude00"));
            default:
                return Encoding.UTF8.GetBytes(r.Pick(Templates));
        }
    }
}
