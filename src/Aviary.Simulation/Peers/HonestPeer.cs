using Aviary.Chain;
using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Protocol;
using Aviary.Simulation.Chains;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Simulation.Peers;

/// <summary>
/// An honest participant: a real <see cref="NodeCore"/> on the participant's skewed clock, sending
/// through the simulated network (rewritten by <see cref="Quirks"/>, if any). The chain store
/// outlives crashes: a restart builds a fresh core over the same store, so the chain survives.
/// </summary>
public sealed class HonestPeer : ISimPeer
{
    private PeerContext? context;
    private DateTimeOffset? wakeAt;

    public HonestPeer(NodeOptions options, IReadOnlyList<Block> initialChain, Quirks quirks = Quirks.None, string startedWith = "")
    {
        Options = options;
        Quirks = quirks;
        StartedWith = startedWith;
        if (initialChain.Count > 0)
        {
            Store.Append(initialChain);
        }

        Chain = new LocalChain(Store, options.Difficulty);
    }

    public string Kind => Quirks == Quirks.None ? "honest" : $"honest, quirks {Quirks}";

    public NodeOptions Options { get; }

    public Quirks Quirks { get; }

    /// <summary>What the node held at the start ("empty", "prefix 120", "fork 80+15"…), for reports.</summary>
    public string StartedWith { get; }

    /// <summary>Survives crashes.</summary>
    public InMemoryChainStore Store { get; } = new();

    /// <summary>The running core, or null while crashed.</summary>
    public NodeCore? Core { get; private set; }

    /// <summary>The current core's chain (the last one's while crashed).</summary>
    public LocalChain Chain { get; private set; }

    /// <summary>Cores built so far (1 + restarts).</summary>
    public int Lives { get; private set; }

    public IReadOnlyList<PeerAddress> Aliases =>
        Quirks.HasFlag(Quirks.OtherPort) ? [QuirkTransport.SendingAddress(Options)] : [];

    /// <summary>Where the core logs (every life); nothing by default.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Raised when a core is built, before it starts (the safety monitor hooks its chain here).</summary>
    public event Action<HonestPeer>? CoreCreated;

    public void Start(PeerContext context)
    {
        this.context = context;
        wakeAt = null;
        ITransport transport = Quirks == Quirks.None ? context : new QuirkTransport(context, Options, Quirks);
        Chain = new LocalChain(Store, Options.Difficulty);
        Core = new NodeCore(Options, Chain, transport, context.Clock, Logger, new Random(context.Random.NextSeed()));
        Lives++;
        CoreCreated?.Invoke(this);
        Core.Start();
        ArmWake();
    }

    public void Receive(PeerAddress from, ReadOnlySpan<byte> datagram)
    {
        if (Core is null)
        {
            return;
        }

        Core.OnDatagram(from, datagram);
        ArmWake();
    }

    public void Stop()
    {
        Core = null;
        context = null;
        wakeAt = null;
    }

    /// <summary>
    /// Mines the next block on our chain at the network difficulty and hands it to the core as a real
    /// miner does (<see cref="NodeCore.SubmitMined"/>: appended, then ANNOUNCEd to every tracked peer).
    /// False when crashed, or while a sync runs (the core refuses a block mined on a tip about to move).
    /// </summary>
    public bool MineAndAnnounce(string word)
    {
        if (Core is null || Core.Download is not null)
        {
            return false;
        }

        var top = Chain.Top;
        var block = SimMiner.Mine(top, Options.Name, [word], (top?.Timestamp ?? SimMiner.GenesisTime) + 60, Options.Difficulty);
        var verdict = Core.SubmitMined(block);
        if (!verdict.IsValid)
        {
            throw new InvalidOperationException($"{Options.Name} mined block {block.Height} that its own core refused: {verdict}");
        }

        ArmWake();
        return true;
    }

    /// <summary>Makes sure the simulator wakes the core when its next timer is due (in global time).</summary>
    private void ArmWake()
    {
        if (Core?.Events.NextDue is not { } due || context is null)
        {
            return;
        }

        var at = context.Clock.ToGlobal(due);
        if (at < context.Now)
        {
            at = context.Now;
        }

        if (wakeAt is { } armed && armed <= at)
        {
            return;
        }

        wakeAt = at;
        context.At(at, () => Wake(at));
    }

    private void Wake(DateTimeOffset at)
    {
        if (wakeAt != at || Core is null)
        {
            return;
        }

        wakeAt = null;
        Core.RunDue();
        ArmWake();
    }
}
