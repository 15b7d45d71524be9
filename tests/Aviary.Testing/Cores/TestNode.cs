using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Protocol;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Testing;

/// <summary>A core on a fake clock whose sends are recorded instead of leaving the process.</summary>
public sealed class TestNode
{
    public TestNode(NodeOptions? options = null, IReadOnlyList<Block>? chain = null, int seed = 1)
    {
        var store = new InMemoryChainStore();
        if (chain is { Count: > 0 })
        {
            store.Append(chain);
        }

        Options = options ?? new NodeOptions { Name = "me", AdvertisedHost = "127.0.0.1", Port = 9000, Difficulty = TestBlocks.Difficulty, Id = "me" };
        Core = new NodeCore(Options, new LocalChain(store, Options.Difficulty), Transport, Clock, NullLogger.Instance, new Random(seed));
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));

    public RecordingTransport Transport { get; } = new();

    public NodeOptions Options { get; }

    public NodeCore Core { get; }

    /// <summary>Advances the clock to each due event in turn, running it, as the host would.</summary>
    public void Advance(TimeSpan by) => FakeClockLoop.Run(Clock, by, [Core]);

    public void Receive(PeerAddress from, Message message) => Core.OnDatagram(from, MessageEncoder.Encode(message));

    public void Receive(PeerAddress from, string json) => Core.OnDatagram(from, System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Lets <paramref name="peer"/> prove it receives, as a real peer does: our challenge GOSSIP goes
    /// to it and its GOSSIP_REPLY comes back. Then forgets what was sent, so a test sees only its own traffic.
    /// </summary>
    public void Prove(PeerAddress peer)
    {
        Assert.True(Core.Challenge(peer), $"no challenge could go to {peer}");
        Receive(peer, new GossipReply(peer.Host, peer.Port, peer.ToString()));
        Assert.True(Core.IsProven(peer), $"{peer} did not become proven");
        Transport.Clear();
    }
}
