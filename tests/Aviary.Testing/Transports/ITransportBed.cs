using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Protocol;

namespace Aviary.Testing.Transports;

/// <summary>
/// One transport under test (real loopback sockets, or the simulator's network): it opens raw
/// endpoints and starts cores on it, and lets its datagrams move until a condition holds.
/// </summary>
public interface ITransportBed : IAsyncDisposable
{
    /// <summary>A raw endpoint with an address of its own: sends bytes, keeps what arrives.</summary>
    IBedClient OpenClient();

    /// <summary>
    /// A running core on this transport, with no rate limits and <paramref name="trusted"/> exempt from the
    /// amplification guard, so what is measured is the transport.
    /// </summary>
    IBedNode StartNode(string name, IReadOnlyList<PeerAddress> trusted);

    /// <summary>Lets datagrams move until <paramref name="done"/> holds (true) or the bed's bound passes (false).</summary>
    Task<bool> RunUntilAsync(Func<bool> done);
}

/// <summary>A raw endpoint of a <see cref="ITransportBed"/>.</summary>
public interface IBedClient
{
    PeerAddress Address { get; }

    /// <summary>What arrived so far, in arrival order, with the source each came from.</summary>
    IReadOnlyList<(PeerAddress From, byte[] Bytes)> Received { get; }

    void Send(PeerAddress to, byte[] datagram);
}

/// <summary>A core running on a <see cref="ITransportBed"/>.</summary>
public interface IBedNode
{
    PeerAddress Address { get; }

    /// <summary>Every message the core accepted so far, with the source it came from.</summary>
    IReadOnlyList<(PeerAddress From, Message Message)> Handled { get; }

    /// <summary>Runs <paramref name="work"/> on the core's own thread.</summary>
    Task<T> OnCoreAsync<T>(Func<NodeCore, T> work);
}
