using Aviary.Node.Sync;

namespace Aviary.Node.Core;

/// <summary>
/// The node's one memory of misbehaving peers: those that served invalid blocks or lied, as the
/// verdicts of a download report them. They are ignored for consensus and downloads for a while.
/// </summary>
public sealed class PeerReputation
{
    /// <summary>Peers that served invalid blocks or lied, ignored for consensus for a while.</summary>
    public const int MaxMisbehaving = 1024;

    /// <summary>How long a peer that served an invalid block or lied is ignored for consensus and downloads.</summary>
    public static readonly TimeSpan MisbehavingLifetime = TimeSpan.FromMinutes(10);

    private readonly ExpiringSet<PeerAddress> misbehaving = new(MaxMisbehaving, MisbehavingLifetime);

    /// <summary>Misbehaving peers remembered now (expired ones included until they are swept).</summary>
    public int Count => misbehaving.Count;

    public bool IsMisbehaving(PeerAddress peer, DateTimeOffset now) => misbehaving.Contains(peer, now);

    /// <summary>The verdict of a download: <paramref name="peers"/> served invalid blocks or lied.</summary>
    internal void Misbehaved(IEnumerable<PeerAddress> peers, DateTimeOffset now)
    {
        foreach (var peer in peers)
        {
            misbehaving.Add(peer, now);
        }
    }
}
