using System.Globalization;

using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// Floods peers with GOSSIPs, each with a fresh id and a made-up name; half of them also claim a
/// made-up originator address (172.16.0.0/12, where nobody listens) and come from it (a spoofed UDP
/// source). Every one is new to its receivers, so each costs a reply and a forward to 3 peers:
/// the flood tests that seen-id and peer tables stay bounded and that the forwarding dies out.
/// </summary>
public sealed class GossipFlooder(IReadOnlyList<PeerAddress> bootstrap, TimeSpan interval) : Adversary(bootstrap)
{
    public override string Kind => "gossip flooder";

    /// <summary>Unique GOSSIP ids sent.</summary>
    public long Floods { get; private set; }

    /// <summary>Floods that claimed a spoofed originator and source.</summary>
    public long Spoofed { get; private set; }

    /// <summary>A made-up address in 172.16.0.0/12 where nobody listens.</summary>
    public static PeerAddress SpoofedAddress(SimRandom random) =>
        new($"172.{random.Next(16, 32)}.{random.Next(256)}.{random.Next(1, 255)}", random.Next(1024, 65536));

    protected override void OnStart() => Context.Every(interval, () =>
    {
        if (AnyPeer() is not { } to)
        {
            return;
        }

        var r = Context.Random;
        var name = $"peer-{r.NextUInt():x6}";
        var id = $"{r.NextULong():x16}-{Floods.ToString(CultureInfo.InvariantCulture)}";
        Floods++;
        if (r.Chance(0.5))
        {
            var spoof = SpoofedAddress(r);
            Spoofed++;
            SendSpoofed(spoof, to, MessageEncoder.Encode(new Gossip(spoof.Host, spoof.Port, id, name)));
        }
        else
        {
            SendRaw(to, MessageEncoder.Encode(new Gossip(Context.Address.Host, Context.Address.Port, id, name)));
        }
    });

    protected override void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram)
    {
    }
}
