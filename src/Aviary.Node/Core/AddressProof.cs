using System.Globalization;

using Aviary.Node.Limits;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>
/// Proof of address, the no-amplification rule's other half: challenges unproven addresses with a
/// GOSSIP, and notes every answer to one of our requests as proof that its source receives.
/// </summary>
public sealed class AddressProof
{
    private readonly INodeContext node;
    private readonly SelfAddress self;
    private readonly Func<PeerAddress, Message, PeerAddress?> listenerOf;
    private GossipMembership membership = null!;
    private long challengeRound;

    /// <param name="listenerOf">Where the sender of an answer listens, when the answer names it or the request it answers does (protocol.md §11).</param>
    internal AddressProof(INodeContext node, SelfAddress self, Func<PeerAddress, Message, PeerAddress?> listenerOf)
    {
        this.node = node;
        this.self = self;
        this.listenerOf = listenerOf;
        Guard = new AddressGuard(node.Options.Bootstrap.Concat(node.Options.Trusted), node.Options.ResponseLimits);
    }

    /// <summary>Byte credit and proof of receipt per address, checked on every send.</summary>
    internal AddressGuard Guard { get; }

    /// <summary>True once <paramref name="address"/> answered one of our requests (or is a bootstrap peer).</summary>
    public bool IsProven(PeerAddress address) => Guard.IsTrusted(address, node.Now);

    /// <summary>The membership whose gossip ids and peer table the challenges use (set once, by the core).</summary>
    internal void Attach(GossipMembership gossip) => membership = gossip;

    /// <summary>
    /// Sends our GOSSIP, with a fresh id, to <paramref name="to"/>: a real peer answers it with a
    /// GOSSIP_REPLY, which proves it receives what we send. At most one per address per
    /// <see cref="AddressGuard.ChallengeInterval"/> beyond its byte credit; false when withheld.
    /// </summary>
    public bool Challenge(PeerAddress to)
    {
        if (self.IsSelf(to) || Guard.IsTrusted(to, node.Now))
        {
            return false;
        }

        var gossip = new Gossip(self.HostFor(to), node.Options.Port, $"{membership.GossipPrefix}-c{challengeRound.ToString(CultureInfo.InvariantCulture)}", node.Options.Name);
        if (!node.Send(to, gossip))
        {
            return false;
        }

        challengeRound++;
        membership.SeenIds.Add(gossip.Id, node.Now);
        node.Counters.ChallengesSent++;
        return true;
    }

    internal static Outbound OutboundOf(Message message) => message switch
    {
        StatsReply or GetBlockReply => Outbound.Answer,
        Stats => Outbound.StatsRequest,
        GetBlock => Outbound.BlockRequest,
        Gossip => Outbound.OwnGossip,
        GossipReply => Outbound.GossipReply,
        _ => Outbound.Push,
    };

    /// <summary>A reply to one of our requests proves its source receives what we send.</summary>
    internal void NoteAnswer(PeerAddress from, Message message, DateTimeOffset now)
    {
        var request = message switch
        {
            GossipReply => Outbound.OwnGossip,
            StatsReply => Outbound.StatsRequest,
            GetBlockReply => Outbound.BlockRequest,
            _ => (Outbound?)null,
        };
        if (request is not { } r)
        {
            return;
        }

        if (Guard.Answered(from, r, now))
        {
            node.Counters.AddressesProven++;
            node.Logger.LogDebug("{From} proved it receives: answered our {Request}", from, r);
        }

        if (membership.Peers.Find(from) is { } peer)
        {
            peer.TrustedUntil = Guard.TrustedUntil(from, now);
        }

        // Real peers answer from another socket than the one they listen on (protocol.md §11): a
        // GOSSIP_REPLY from the same host naming the address our GOSSIP went to, or a STATS_REPLY or
        // GET_BLOCK_REPLY from the same host as the only address we asked, proves that address.
        var listening = message is GossipReply g ? new PeerAddress(g.Host, g.Port) : listenerOf(from, message);
        if (listening is { } named && named != from && named.Host == from.Host && Guard.Answered(named, r, now))
        {
            node.Counters.AddressesProven++;
            node.Logger.LogDebug("{Named} proved it receives: its host answered our {Request} from {From}", named, r, from);
            if (membership.Peers.Find(named) is { } listener)
            {
                listener.TrustedUntil = Guard.TrustedUntil(named, now);
            }
        }
    }
}
