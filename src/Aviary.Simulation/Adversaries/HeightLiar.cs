using Aviary.Node;
using Aviary.Protocol;
using Aviary.Simulation.Chains;

namespace Aviary.Simulation.Adversaries;

/// <summary>
/// Claims a chain far longer than anyone's: STATS gets a huge height and a 64-hex hash that ends in
/// zeros, so it passes a "looks like work" filter. GET_BLOCK gets a forged block at the asked height
/// (half the time) or the "no such block" reply. It also asks peers to run a CONSENSUS now and then,
/// so they meet the lie.
/// </summary>
public sealed class HeightLiar(IReadOnlyList<PeerAddress> bootstrap, int difficulty) : Adversary(bootstrap)
{
    /// <summary>The lowest height it claims.</summary>
    public const long LieBase = 1_000_000;

    private static readonly TimeSpan ConsensusInterval = TimeSpan.FromSeconds(30);
    private long height;
    private string hash = string.Empty;

    public override string Kind => "height liar";

    /// <summary>STATS_REPLY lies told.</summary>
    public long Lies { get; private set; }

    protected override void OnStart()
    {
        height = LieBase + Context.Random.Next(1_000_000);
        hash = RandomHex(56) + "00000000";
        Context.Every(ConsensusInterval, () =>
        {
            foreach (var peer in KnownPeers)
            {
                Send(peer, Consensus.Instance);
            }
        });
    }

    protected override void OnDatagram(PeerAddress from, Message? message, ReadOnlySpan<byte> datagram)
    {
        switch (message)
        {
            case Stats:
                Lies++;
                Send(from, new StatsReply(height, hash));
                break;
            case GetBlock { Height: { } h } when h >= 0 && Context.Random.Chance(0.5):
                Send(from, new GetBlockReply(SimMiner.Invalid(BadBlock.HashMismatch, h, RandomHex(64), "liar", SimMiner.GenesisTime, difficulty)));
                break;
            case GetBlock:
                Send(from, GetBlockReply.Missing);
                break;
        }
    }

    private string RandomHex(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = "0123456789abcdef"[Context.Random.Next(16)];
        }

        return new string(chars);
    }
}
