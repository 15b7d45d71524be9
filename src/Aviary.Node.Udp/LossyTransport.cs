namespace Aviary.Node.Udp;

/// <summary>
/// Drops a share of the datagrams another transport would send, from a seeded random source: a lossy
/// link for loopback tests and benchmarks (<c>aviary bench sync --loss</c>).
/// </summary>
public sealed class LossyTransport(ITransport inner, double lossRate, int seed) : ITransport
{
    private readonly Random random = new(seed);

    public long Dropped { get; private set; }

    public void Send(PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        if (lossRate > 0 && random.NextDouble() < lossRate)
        {
            Dropped++;
            return;
        }

        inner.Send(to, datagram);
    }

    public string? LocalHostFor(PeerAddress to) => inner.LocalHostFor(to);
}
