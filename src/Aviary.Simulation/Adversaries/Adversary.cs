using System.Globalization;

using Aviary.Node;
using Aviary.Protocol;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// What every adversary shares: it joins like a peer (GOSSIPs its address to the bootstrap host and
/// to peers it has learned of, so honest nodes track it and talk to it), learns the addresses it
/// hears from, and counts what it received and sent.
/// </summary>
public abstract class Adversary(IReadOnlyList<PeerAddress> bootstrap) : ISimPeer
{
    /// <summary>Most addresses an adversary remembers.</summary>
    public const int MaxKnownPeers = 64;

    /// <summary>How often it re-announces itself.</summary>
    public static readonly TimeSpan JoinInterval = TimeSpan.FromSeconds(20);

    /// <summary>Like an honest node, it answers one originator at most once per this window (it is not a reflector itself).</summary>
    public static readonly TimeSpan ReplyInterval = TimeSpan.FromSeconds(10);

    private readonly List<PeerAddress> known = [.. bootstrap];
    private readonly Dictionary<PeerAddress, DateTimeOffset> replied = [];
    private long round;

    public abstract string Kind { get; }

    public IReadOnlyList<PeerAddress> Aliases => [];

    /// <summary>Datagrams received.</summary>
    public long Received { get; private set; }

    /// <summary>Datagrams sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Peers it has learned of (the bootstrap hosts first).</summary>
    public IReadOnlyList<PeerAddress> KnownPeers => known;

    protected PeerContext Context { get; private set; } = null!;

    /// <summary>Whether it answers GOSSIP with GOSSIP_REPLY (so it stays in honest peer tables).</summary>
    protected virtual bool RepliesToGossip => true;

    public void Start(PeerContext context)
    {
        Context = context;
        context.Every(JoinInterval, Join, first: context.Random.Between(TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        OnStart();
    }

    public void Receive(PeerAddress from, ReadOnlySpan<byte> datagram)
    {
        Received++;
        var message = MessageDecoder.Decode(datagram).Message;
        if (message is not null)
        {
            // Learn only addresses heard from: claimed ones may be spoofed or a victim's.
            Learn(from);
        }

        // Only a GOSSIP straight from its originator gets a reply: a forwarded one may name a victim.
        if (message is Gossip g && RepliesToGossip && from == new PeerAddress(g.Host, g.Port))
        {
            Reply(from);
        }

        OnDatagram(from, message, datagram);
    }

    public virtual void Stop()
    {
    }

    /// <summary>Behaviour-specific start (timers).</summary>
    protected virtual void OnStart()
    {
    }

    /// <summary>Behaviour-specific reaction; <paramref name="message"/> is null when the datagram did not decode.</summary>
    protected abstract void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram);

    protected void Send(PeerAddress to, Message message) => SendRaw(to, MessageEncoder.Encode(message));

    protected void SendRaw(PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        Sent++;
        Context.Send(to, datagram);
    }

    protected void SendSpoofed(PeerAddress source, PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        Sent++;
        Context.SendAs(source, to, datagram);
    }

    /// <summary>A random known peer, or null before it knows any.</summary>
    protected PeerAddress? AnyPeer() => known.Count == 0 ? null : Context.Random.Pick(known);

    private void Join()
    {
        var gossip = new Gossip(Context.Address.Host, Context.Address.Port, $"{Context.Name}-{round++.ToString(CultureInfo.InvariantCulture)}", Context.Name);
        var targets = new List<PeerAddress>(bootstrap);
        for (var i = 0; i < 3 && known.Count > 0; i++)
        {
            var p = Context.Random.Pick(known);
            if (!targets.Contains(p))
            {
                targets.Add(p);
            }
        }

        foreach (var to in targets)
        {
            Send(to, gossip);
        }
    }

    private void Reply(PeerAddress originator)
    {
        var now = Context.Now;
        if (replied.TryGetValue(originator, out var last) && now - last < ReplyInterval)
        {
            return;
        }

        if (replied.Count >= 4 * MaxKnownPeers)
        {
            replied.Clear();
        }

        replied[originator] = now;
        Send(originator, new GossipReply(Context.Address.Host, Context.Address.Port, Context.Name));
    }

    private void Learn(PeerAddress address)
    {
        if (address != Context.Address && known.Count < MaxKnownPeers && !known.Contains(address))
        {
            known.Add(address);
        }
    }
}
