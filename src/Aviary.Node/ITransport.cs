namespace Aviary.Node;

/// <summary>
/// How the core's datagrams leave it. The UDP host sends them on its socket; the simulator delivers
/// them through its in-memory network. Sending never blocks and never throws: a datagram that cannot
/// go (unresolvable host, full buffer) is dropped, as UDP would.
/// </summary>
public interface ITransport
{
    void Send(PeerAddress to, ReadOnlySpan<byte> datagram);

    /// <summary>
    /// The host <paramref name="to"/> can reach us on: the local address our datagrams to it leave
    /// from, which is what we name in the GOSSIP and GOSSIP_REPLY it receives. Null when the
    /// transport does not know (a simulated network, an unresolved name, a fixed <c>--host</c>), and
    /// the core then names <see cref="NodeOptions.AdvertisedHost"/>. Never a loopback address toward
    /// a peer that is not on loopback.
    /// </summary>
    string? LocalHostFor(PeerAddress to) => null;
}
