using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Simulation.Peers;

/// <summary>
/// A passive participant that keeps what it receives (up to <see cref="MaxKept"/> datagrams, counting
/// the rest) and sends only when told: a probe for tests, and a bystander victim for reflection.
/// </summary>
public sealed class RecorderPeer : ISimPeer
{
    /// <summary>Most datagrams kept; later ones are only counted.</summary>
    public const int MaxKept = 200_000;

    private readonly List<Received> kept = [];
    private PeerContext? context;

    public string Kind => "recorder";

    public IReadOnlyList<PeerAddress> Aliases => [];

    /// <summary>Every datagram received, in arrival order (up to the cap).</summary>
    public IReadOnlyList<Received> Datagrams => kept;

    /// <summary>All datagrams received, kept or not.</summary>
    public long Count { get; private set; }

    public void Start(PeerContext context) => this.context = context;

    public void Receive(PeerAddress from, ReadOnlySpan<byte> datagram)
    {
        Count++;
        if (kept.Count < MaxKept)
        {
            kept.Add(new Received(context?.Now ?? default, from, datagram.ToArray()));
        }
    }

    public void Stop() => context = null;

    /// <summary>Sends raw bytes now (false while down).</summary>
    public bool Send(PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        if (context is null)
        {
            return false;
        }

        context.Send(to, datagram);
        return true;
    }

    public bool Send(PeerAddress to, Message message) => Send(to, MessageEncoder.Encode(message));

    /// <summary>The received datagrams that decode to <typeparamref name="T"/>.</summary>
    public List<(PeerAddress From, T Message)> Of<T>()
        where T : Message =>
        [.. kept.Select(r => (r.From, Message: MessageDecoder.Decode(r.Bytes).Message)).Where(x => x.Message is T).Select(x => (x.From, (T)x.Message!))];

    /// <summary>One received datagram.</summary>
    public sealed record Received(DateTimeOffset At, PeerAddress From, byte[] Bytes);
}
