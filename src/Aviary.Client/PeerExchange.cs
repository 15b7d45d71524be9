using System.Net;

using Aviary.Protocol;

namespace Aviary.Client;

/// <summary>How a request went: the reply, a datagram that did not decode, or nothing in time.</summary>
public sealed record PeerExchange
{
    /// <summary>The expected reply, when one came.</summary>
    public Message? Reply { get; init; }

    /// <summary>The datagram that ended the wait (the reply or the malformed one), as received.</summary>
    public byte[] Raw { get; init; } = [];

    /// <summary>Where that datagram came from.</summary>
    public EndPoint? From { get; init; }

    /// <summary>Why the datagram that ended the wait did not decode.</summary>
    public Rejection? Malformed { get; init; }

    /// <summary>Datagrams that decoded but were not the expected reply (other types, other heights).</summary>
    public int Ignored { get; init; }

    /// <summary>ICMP "port unreachable" reports seen while waiting (nothing listens there).</summary>
    public int Refused { get; init; }
}
