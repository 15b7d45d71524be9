using Aviary.Node;
using Aviary.Protocol;
using Aviary.Simulation.Chains;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// Serves a chain that is valid up to <see cref="BadHeight"/>, where one block breaks a rule, and
/// continues validly on top of the bad block so the whole chain is longer than the honest one. It
/// advertises that chain in STATS_REPLY and serves it block by block. It also asks peers for their
/// STATS and ANNOUNCEs a forged next block on top of whatever they hold.
/// </summary>
public sealed class InvalidChainServer : Adversary
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(15);
    private readonly List<Block> chain;
    private readonly int difficulty;

    /// <param name="validPrefix">The honest blocks it serves first (a prefix of the real chain).</param>
    /// <param name="kind">The rule its bad block breaks.</param>
    /// <param name="lead">How many blocks its chain has beyond the honest chain's <paramref name="honestLength"/>.</param>
    public InvalidChainServer(IReadOnlyList<PeerAddress> bootstrap, IReadOnlyList<Block> validPrefix, BadBlock kind, int honestLength, int lead, int difficulty)
        : base(bootstrap)
    {
        this.difficulty = difficulty;
        BadKind = kind;
        BadHeight = validPrefix.Count;
        chain = [.. validPrefix];
        var top = chain.Count == 0 ? null : chain[^1];
        chain.Add(SimMiner.Invalid(kind, BadHeight, top?.Hash, "mallory", SimMiner.GenesisTime + (BadHeight * 60), difficulty));
        var length = (int)Math.Max(honestLength + lead, BadHeight + 1);
        chain = ChainFactory.Extend(chain, length - chain.Count, "mallory", difficulty);
    }

    public override string Kind => $"invalid-chain server ({BadKind} at {BadHeight})";

    public BadBlock BadKind { get; }

    /// <summary>Height of the first invalid block it serves.</summary>
    public long BadHeight { get; }

    /// <summary>The chain it serves (valid prefix, bad block, more blocks).</summary>
    public IReadOnlyList<Block> Chain => chain;

    /// <summary>Forged blocks ANNOUNCEd.</summary>
    public long ForgedAnnounces { get; private set; }

    /// <summary>GET_BLOCK requests answered with the bad block or one above it.</summary>
    public long BadBlocksServed { get; private set; }

    protected override void OnStart() => Context.Every(ProbeInterval, () =>
    {
        foreach (var peer in KnownPeers)
        {
            Send(peer, Stats.Instance);
        }
    });

    protected override void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram)
    {
        switch (message)
        {
            case Stats:
                Send(from, new StatsReply(chain.Count, chain[^1].Hash));
                break;
            case GetBlock { Height: { } h } when h >= 0 && h < chain.Count:
                BadBlocksServed += h >= BadHeight ? 1 : 0;
                Send(from, new GetBlockReply(chain[(int)h]));
                break;
            case GetBlock:
                Send(from, GetBlockReply.Missing);
                break;
            case StatsReply { Height: { } height, Hash: { } hash } when height >= 1:
                var kind = (BadBlock)Context.Random.Next(Enum.GetValues<BadBlock>().Length);
                ForgedAnnounces++;
                Send(from, new Announce(SimMiner.Invalid(kind, height, hash, "mallory", SimMiner.GenesisTime + (Math.Min(height, 1_000_000) * 60), difficulty)));
                break;
        }
    }
}
