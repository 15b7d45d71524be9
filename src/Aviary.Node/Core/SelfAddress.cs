namespace Aviary.Node.Core;

/// <summary>
/// Which host we name to each peer in GOSSIP and GOSSIP_REPLY, and knowing ourselves under any of
/// them. A machine with several addresses (loopback, a LAN, a veth pair) is reached on a different
/// one by each peer: naming one for all left a well-known host started without peers advertising
/// 127.0.0.1 to peers on another machine (issue #14).
/// </summary>
internal sealed class SelfAddress(ITransport transport, NodeOptions options)
{
    /// <summary>
    /// Most hosts remembered as ours. The transport only names local addresses, of which a machine
    /// has a few; the cap keeps a misbehaving transport from growing the set.
    /// </summary>
    public const int MaxOwnHosts = 16;

    private readonly HashSet<string> ownHosts = [];

    /// <summary>
    /// The host to name to <paramref name="to"/>: what the transport says it reaches us on, else
    /// <see cref="NodeOptions.AdvertisedHost"/> (always, in the simulator, whose traces stay as they were).
    /// </summary>
    public string HostFor(PeerAddress to)
    {
        if (transport.LocalHostFor(to) is not { } host)
        {
            return options.AdvertisedHost;
        }

        if (ownHosts.Count < MaxOwnHosts)
        {
            ownHosts.Add(host);
        }

        return host;
    }

    /// <summary>
    /// True when <paramref name="address"/> is us, under <see cref="NodeCore.Self"/> or any host we named to
    /// a peer: our own GOSSIP coming back through a peer names the host we gave that peer.
    /// </summary>
    public bool IsSelf(PeerAddress address) =>
        address.Port == options.Port && (address.Host == options.AdvertisedHost || ownHosts.Contains(address.Host));
}
