using Aviary.Chain;
using Aviary.Node.Limits;
using Aviary.Node.Sync;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Core;

/// <summary>
/// What a service of the core may use of it: the clock and its timers, sending (through the
/// amplification guard), the chain, the log, randomness, the counters and the options.
/// </summary>
internal interface INodeContext
{
    NodeOptions Options { get; }

    LocalChain Chain { get; }

    /// <summary>The core's one queue of timers and wait states.</summary>
    EventQueue Events { get; }

    DateTimeOffset Now { get; }

    Random Random { get; }

    ILogger Logger { get; }

    NodeCounters Counters { get; }

    SyncLimits SyncLimits { get; }

    /// <summary>Encodes and sends through the guard; false when refused or withheld.</summary>
    bool Send(PeerAddress to, Message message);

    /// <summary>Sends bytes already encoded (a forwarded GOSSIP) through the guard.</summary>
    bool SendRaw(PeerAddress to, string type, ReadOnlySpan<byte> datagram, Outbound kind);
}
