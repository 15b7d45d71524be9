using Aviary.Chain;
using Aviary.Protocol;
using Aviary.Simulation.Peers;

namespace Aviary.Simulation.Checks;

/// <summary>
/// Safety, checked at every step: each time an honest node's chain changes (and when a core is
/// rebuilt after a crash), every block that differs from what was last verified is re-validated
/// against its predecessor with <see cref="BlockValidator"/>, and the chain must not have shrunk.
/// Nothing is taken from the core's word: the diff is found by comparing blocks, not from the
/// height the change event reports.
/// </summary>
public sealed class SafetyMonitor(Simulation simulation)
{
    private readonly List<SafetyViolation> violations = [];
    private readonly Dictionary<HonestPeer, List<Block>> verified = [];
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);

    public IReadOnlyList<SafetyViolation> Violations => violations;

    /// <summary>Chain states checked.</summary>
    public long Checks { get; private set; }

    /// <summary>Blocks validated (each time a block appeared at a height).</summary>
    public long BlocksValidated { get; private set; }

    /// <summary>Checks <paramref name="peer"/>'s chain now and after every change, across restarts.</summary>
    public void Watch(string name, HonestPeer peer)
    {
        verified[peer] = [];
        Hook(name, peer);
        peer.CoreCreated += p => Hook(name, p);
    }

    private void Hook(string name, HonestPeer peer)
    {
        var chain = peer.Chain;
        chain.Changed += _ =>
        {
            if (ReferenceEquals(chain, peer.Chain))
            {
                Check(name, peer);
            }
        };
        Check(name, peer);
    }

    private void Check(string name, HonestPeer peer)
    {
        Checks++;
        var chain = peer.Chain;
        var known = verified[peer];
        if (chain.Count < known.Count)
        {
            Violate(name, chain.Count, $"chain shrank from {known.Count} to {chain.Count} blocks");
        }

        var from = 0;
        while (from < known.Count && from < chain.Count && ReferenceEquals(known[from], chain[from]))
        {
            from++;
        }

        known.RemoveRange(from, known.Count - from);
        for (var h = from; h < chain.Count; h++)
        {
            var block = chain[h]!;
            BlocksValidated++;
            var verdict = BlockValidator.Validate(block, h == 0 ? null : known[h - 1].Hash, h, chain.Difficulty);
            if (!verdict.IsValid)
            {
                Violate(name, h, $"holds an invalid block {block.Hash}: {verdict}");
                return;
            }

            known.Add(block);
        }
    }

    private void Violate(string name, long height, string problem)
    {
        // The same bad state is seen again at every later change; report it once.
        if (!reported.Add($"{name}|{height}|{problem}"))
        {
            return;
        }

        violations.Add(new SafetyViolation(name, simulation.Clock.Elapsed, height, problem));
        simulation.Trace.Event(simulation.Loop.Now, $"safety {name} {height}");
    }
}

/// <summary>An honest node broke safety: who, when (virtual time since start), at what height, how.</summary>
public sealed record SafetyViolation(string Node, TimeSpan At, long Height, string Problem)
{
    public override string ToString() => $"{Node} at +{At.TotalSeconds:F3} s, height {Height}: {Problem}";
}
