using System.Globalization;

using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// Sends GOSSIPs naming a third party (<paramref name="victim"/>) as the originator, each with a fresh
/// id, so every honest receiver aims its GOSSIP_REPLY at the victim: a reflection attack. The honest
/// per-address reply limit is what keeps the victim's inbound traffic bounded.
/// </summary>
public sealed class ReflectionAbuser(IReadOnlyList<PeerAddress> bootstrap, PeerAddress victim, TimeSpan interval) : Adversary(bootstrap)
{
    public override string Kind => "reflection abuser";

    public PeerAddress Victim { get; } = victim;

    /// <summary>Forged GOSSIPs sent.</summary>
    public long Forged { get; private set; }

    protected override void OnStart() => Context.Every(interval, () =>
    {
        if (AnyPeer() is { } to && to != Victim)
        {
            Forged++;
            Send(to, new Gossip(Victim.Host, Victim.Port, $"reflect-{Context.Random.NextULong():x16}-{Forged.ToString(CultureInfo.InvariantCulture)}", "victim"));
        }
    });

    protected override void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram)
    {
    }
}
