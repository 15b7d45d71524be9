namespace Aviary.Node.Sync;

/// <summary>What a download concluded about one of its peers.</summary>
public enum VerdictKind
{
    /// <summary>Served an invalid block or lied about its chain: a fault to report to the reputation store.</summary>
    Misbehaved,

    /// <summary>Only taken out of this download (a helper on another chain, an announcer without the blocks): no fault.</summary>
    LeftOut,
}

/// <summary>One verdict on a download peer, with its reason (for logs).</summary>
public sealed record PeerVerdict(PeerAddress Peer, VerdictKind Kind, string Why);

/// <summary>
/// The verdicts a download reached on its peers, in order. The download does not keep a peer's
/// reputation: whoever runs it feeds these verdicts (<see cref="Misbehaving"/>) into its one store.
/// </summary>
public sealed class PeerVerdicts
{
    private readonly HashSet<PeerAddress> misbehaved = [];
    private readonly List<PeerVerdict> all = [];

    /// <summary>Every verdict so far, oldest first.</summary>
    public IReadOnlyList<PeerVerdict> All => all;

    /// <summary>Peers found misbehaving, each once, in the order they were found.</summary>
    public IEnumerable<PeerAddress> Misbehaving => misbehaved;

    /// <summary>The last misbehaviour, for logs.</summary>
    public string? LastPenalty { get; private set; }

    public bool IsMisbehaving(PeerAddress peer) => misbehaved.Contains(peer);

    public void Misbehaved(PeerAddress peer, string why)
    {
        misbehaved.Add(peer);
        LastPenalty = $"{peer}: {why}";
        all.Add(new PeerVerdict(peer, VerdictKind.Misbehaved, why));
    }

    public void LeftOut(PeerAddress peer, string why) => all.Add(new PeerVerdict(peer, VerdictKind.LeftOut, why));
}
