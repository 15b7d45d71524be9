using Aviary.Protocol;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Checks;

/// <summary>
/// Liveness: once the faults stop, every honest node must come to hold the best valid chain's
/// (height, top hash). The tracker records when each node first does so (watching chain changes
/// across restarts) and, at the deadline, reports exactly who is behind and where.
/// </summary>
public sealed class LivenessTracker(Simulation simulation)
{
    private readonly List<(string Name, HonestPeer Peer)> watched = [];
    private readonly Dictionary<HonestPeer, TimeSpan> converged = [];
    private IReadOnlyList<Block>? best;
    private TimeSpan since;

    /// <summary>Follows <paramref name="peer"/>'s chain.</summary>
    public void Watch(string name, HonestPeer peer)
    {
        watched.Add((name, peer));
        Hook(peer);
        peer.CoreCreated += Hook;
    }

    /// <summary>From now on, measures convergence on <paramref name="target"/>.</summary>
    public void Begin(IReadOnlyList<Block> target)
    {
        best = target;
        since = simulation.Clock.Elapsed;
        converged.Clear();
        foreach (var (_, peer) in watched)
        {
            Observe(peer);
        }
    }

    /// <summary>True once every watched node has held the target since <see cref="Begin"/>.</summary>
    public bool AllConverged => best is not null && converged.Count == watched.Count;

    /// <summary>Where every watched node stands against the target, with the bound it had.</summary>
    public LivenessReport Report(TimeSpan bound)
    {
        var target = best ?? throw new InvalidOperationException("Begin was never called");
        var statuses = watched.Select(w => NodeStatus.Of(w.Name, w.Peer.StartedWith, w.Peer.Chain.Range(0, int.MaxValue), target, converged.TryGetValue(w.Peer, out var at) ? at - since : null)).ToList();
        return new LivenessReport(target.Count, target.Count == 0 ? null : target[^1].Hash, statuses, bound);
    }

    private void Hook(HonestPeer peer)
    {
        var chain = peer.Chain;
        chain.Changed += _ =>
        {
            if (ReferenceEquals(chain, peer.Chain))
            {
                Observe(peer);
            }
        };
        Observe(peer);
    }

    private void Observe(HonestPeer peer)
    {
        if (best is null || converged.ContainsKey(peer))
        {
            return;
        }

        if (peer.Chain.Count == best.Count && peer.Chain.TopHash == (best.Count == 0 ? null : best[^1].Hash))
        {
            converged[peer] = simulation.Clock.Elapsed;
        }
    }
}
