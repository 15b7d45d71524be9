using System.Globalization;

using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Limits;
using Aviary.Node.Membership;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Fuzz;

/// <summary>
/// The whole receive path under one input: the input is split on the byte 0x1E into up to 32
/// datagrams, delivered from four sources in turn (a bootstrap peer, a peer that proves itself, a
/// stranger, a second address on the stranger's host) to a fresh node holding a short chain, with
/// the clock moving 250 ms between datagrams so timers, consensus and downloads run too.
/// Anything thrown, any datagram we send that is over 1024 bytes or does not decode, and any table
/// over its cap is a failure (an exception, which the fuzzer records as a crash).
/// </summary>
public static class DatagramTarget
{
    /// <summary>Separates datagrams within one input.</summary>
    public const byte Separator = 0x1E;

    private const int MaxDatagrams = 32;

    private static readonly PeerAddress Bootstrap = new("127.0.0.2", 8999);
    private static readonly PeerAddress Peer = new("127.0.0.3", 8999);
    private static readonly PeerAddress Stranger = new("127.0.0.4", 40_000);
    private static readonly PeerAddress Neighbour = new("127.0.0.4", 40_001);
    private static readonly PeerAddress[] Sources = [Bootstrap, Peer, Stranger, Neighbour];
    private static readonly List<Block> Blocks = Mine(20);

    /// <summary>Runs one input; returns the node as it ended, for <c>--replay</c> to describe.</summary>
    public static NodeCore Run(ReadOnlySpan<byte> input)
    {
        var clock = new ManualClock();
        var transport = new CheckingTransport();
        var store = new InMemoryChainStore();
        store.Append(Blocks);
        var options = new NodeOptions { Name = "fuzz", AdvertisedHost = "127.0.0.1", Port = 9000, Id = "fuzz", Difficulty = 1, Bootstrap = [Bootstrap] };
        var core = new NodeCore(options, new LocalChain(store, 1), transport, clock, NullLogger.Instance, new Random(1));
        core.Start();
        core.Challenge(Peer);
        core.OnDatagram(Peer, MessageEncoder.Encode(new GossipReply(Peer.Host, Peer.Port, "peer")));

        var count = 0;
        while (count < MaxDatagrams)
        {
            var end = input.IndexOf(Separator);
            var datagram = end < 0 ? input : input[..end];
            core.OnDatagram(Sources[count % Sources.Length], datagram);
            clock.Advance(TimeSpan.FromMilliseconds(250));
            core.RunDue();
            Check(core);
            count++;
            if (end < 0)
            {
                break;
            }

            input = input[(end + 1)..];
        }

        // Let every timer that the input armed run out.
        for (var i = 0; i < 8; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            core.RunDue();
            Check(core);
        }

        _ = core.Snapshot();
        return core;
    }

    private static void Check(NodeCore core)
    {
        var t = core.Tables();
        Require(t.Peers <= PeerTable.MaxPeers, "peer table over its cap");
        Require(t.SeenIds <= SeenIds.MaxIds, "seen ids over the cap");
        Require(t.RateSources <= SourceRateLimiter.MaxSources, "rate table over its cap");
        Require(t.UnprovenAddresses <= AddressGuard.MaxUnproven && t.ProvenAddresses <= AddressGuard.MaxProven, "address guard over its cap");
        Require(t.PendingAnnounces <= ChainSync.MaxPendingAnnounces, "pending announces over the cap");
        Require(t.DownloadBuffered <= core.SyncLimits.Window, "download buffer over the window");
        Require(t.PendingEvents < 1000, "timers piling up");
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    private static List<Block> Mine(int count)
    {
        var blocks = new List<Block>(count);
        for (var height = 0; height < count; height++)
        {
            for (var nonce = 0; ; nonce++)
            {
                var candidate = new Block(height, "fuzz", nonce.ToString(CultureInfo.InvariantCulture), [$"m{height}"], new string('0', 64), 1_733_000_000 + height);
                var hash = BlockHasher.Compute(candidate, height == 0 ? null : blocks[^1].Hash);
                if (BlockValidator.MeetsDifficulty(hash, 1))
                {
                    blocks.Add(candidate with { Hash = hash });
                    break;
                }
            }
        }

        return blocks;
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    private sealed class CheckingTransport : ITransport
    {
        public void Send(PeerAddress to, ReadOnlySpan<byte> datagram)
        {
            Require(datagram.Length <= WireLimits.MaxOutboundDatagram, "sent a datagram over 1024 bytes");
            Require(MessageDecoder.Decode(datagram).IsMessage, "sent a datagram that does not decode");
        }
    }
}
