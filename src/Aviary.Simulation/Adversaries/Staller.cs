using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// Joins (so honest nodes track it and send it requests), receives everything, answers nothing:
/// no GOSSIP_REPLY, no STATS_REPLY, no GET_BLOCK_REPLY. A sync that waits on it must time out.
/// </summary>
public sealed class Staller(IReadOnlyList<PeerAddress> bootstrap) : Adversary(bootstrap)
{
    public override string Kind => "staller";

    /// <summary>Requests (STATS, GET_BLOCK) it swallowed.</summary>
    public long Swallowed { get; private set; }

    protected override bool RepliesToGossip => false;

    protected override void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram)
    {
        if (message is Stats or GetBlock)
        {
            Swallowed++;
        }
    }
}
