using Aviary.Node;

namespace Aviary.Simulation.Network;

/// <summary>What the network needs of a participant: whether it is running, and how to hand it a datagram.</summary>
public interface INetworkEndpoint
{
    /// <summary>Short name for traces and reports.</summary>
    string Name { get; }

    /// <summary>False while crashed: datagrams that arrive then are dropped.</summary>
    bool IsUp { get; }

    /// <summary>A datagram arrives from <paramref name="from"/> (its source address, possibly spoofed).</summary>
    void Deliver(PeerAddress from, byte[] datagram);
}
