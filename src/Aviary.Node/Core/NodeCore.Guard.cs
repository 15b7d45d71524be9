using System.Globalization;

using Aviary.Node.Limits;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>Flood defences: per-source rate limits and the no-amplification rule for unproven addresses.</summary>
public sealed partial class NodeCore
{
    private long challengeRound;

    /// <summary>Per-source token buckets, charged in <see cref="OnDatagram"/>.</summary>
    public SourceRateLimiter RateLimiter { get; }

    /// <summary>Byte credit and proof of receipt per address, checked on every send.</summary>
    public AddressGuard Guard { get; }

    /// <summary>True once <paramref name="address"/> answered one of our requests (or is a bootstrap peer).</summary>
    public bool IsProven(PeerAddress address) => Guard.IsTrusted(address, Events.Now);

    /// <summary>
    /// Sends our GOSSIP, with a fresh id, to <paramref name="to"/>: a real peer answers it with a
    /// GOSSIP_REPLY, which proves it receives what we send. At most one per address per
    /// <see cref="AddressGuard.ChallengeInterval"/> beyond its byte credit; false when withheld.
    /// </summary>
    public bool Challenge(PeerAddress to)
    {
        if (IsSelf(to) || Guard.IsTrusted(to, Events.Now))
        {
            return false;
        }

        var gossip = new Gossip(HostFor(to), Options.Port, $"{GossipPrefix}-c{challengeRound.ToString(CultureInfo.InvariantCulture)}", Options.Name);
        if (!Send(to, gossip))
        {
            return false;
        }

        challengeRound++;
        Seen.Add(gossip.Id, Events.Now);
        Counters.ChallengesSent++;
        return true;
    }

    private static Outbound OutboundOf(Message message) => message switch
    {
        StatsReply or GetBlockReply => Outbound.Answer,
        Stats => Outbound.StatsRequest,
        GetBlock => Outbound.BlockRequest,
        Gossip => Outbound.OwnGossip,
        GossipReply => Outbound.GossipReply,
        _ => Outbound.Push,
    };

    /// <summary>A reply to one of our requests proves its source receives what we send.</summary>
    private void NoteAnswer(PeerAddress from, Message message, DateTimeOffset now)
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
            Counters.AddressesProven++;
            logger.LogDebug("{From} proved it receives: answered our {Request}", from, r);
        }

        if (Peers.Find(from) is { } peer)
        {
            peer.TrustedUntil = Guard.TrustedUntil(from, now);
        }

        // Real peers answer from another socket than the one they listen on (protocol.md §11): a
        // GOSSIP_REPLY from the same host naming the address our GOSSIP went to, or a STATS_REPLY or
        // GET_BLOCK_REPLY from the same host as the only address we asked, proves that address.
        var listening = message switch
        {
            GossipReply g => new PeerAddress(g.Host, g.Port),
            StatsReply when ConsensusRunning => AskedPeer(from),
            GetBlockReply => Download?.SourceOf(from),
            _ => null,
        };
        if (listening is { } named && named != from && named.Host == from.Host && Guard.Answered(named, r, now))
        {
            Counters.AddressesProven++;
            logger.LogDebug("{Named} proved it receives: its host answered our {Request} from {From}", named, r, from);
            if (Peers.Find(named) is { } listener)
            {
                listener.TrustedUntil = Guard.TrustedUntil(named, now);
            }
        }
    }
}
