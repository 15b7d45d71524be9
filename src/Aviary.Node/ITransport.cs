namespace Aviary.Node;

/// <summary>
/// How the core's datagrams leave it. The UDP host sends them on its socket; the simulator delivers
/// them through its in-memory network. Sending never blocks and never throws: a datagram that cannot
/// go (unresolvable host, full buffer) is dropped, as UDP would.
/// </summary>
public interface ITransport
{
    void Send(PeerAddress to, ReadOnlySpan<byte> datagram);
}
