using Aviary.Node;

namespace Aviary.Simulation.Peers;

/// <summary>
/// A participant's behaviour: an honest core, a quirky wrapper around one, or an adversary. It sees
/// the world only through its <see cref="PeerContext"/>: datagrams in, datagrams out, timers.
/// </summary>
public interface ISimPeer
{
    /// <summary>What it is ("honest", "liar", "staller"…), for reports.</summary>
    string Kind { get; }

    /// <summary>Addresses besides its own that reach it (a second socket).</summary>
    IReadOnlyList<PeerAddress> Aliases { get; }

    /// <summary>Starts (or restarts after a crash) with a fresh context.</summary>
    void Start(PeerContext context);

    /// <summary>One datagram from <paramref name="from"/>.</summary>
    void Receive(PeerAddress from, ReadOnlySpan<byte> datagram);

    /// <summary>Crashed: forget everything volatile (timers are already dead with the old context).</summary>
    void Stop();
}
