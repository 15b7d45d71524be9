using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Census.Tests;

/// <summary>
/// A devnet on loopback: honest nodes holding one chain (node 0 is the entry the others join through)
/// and five fake peers, each wrong in one way: a GOSSIP_REPLY to the sender, a tampered block, GET_BLOCK
/// -1 answered with the top, silence, and a shorter fork (honest, but on its own branch from height 6).
/// </summary>
public sealed class LoopbackNetwork : IAsyncDisposable
{
    public const int Difficulty = 2;
    public const int ChainLength = 12;
    public const int ForkHeight = 6;

    private LoopbackNetwork(List<Block> chain, List<LoopbackNode> honest, List<FakePeer> fakes)
    {
        Chain = chain;
        Honest = honest;
        Fakes = fakes;
    }

    public List<Block> Chain { get; }

    public List<LoopbackNode> Honest { get; }

    public List<FakePeer> Fakes { get; }

    public LoopbackNode Entry => Honest[0];

    public FakePeer Fake(Fault fault, bool fork = false) => Fakes.Single(f => f.Name == NameOf(fault, fork));

    public static LoopbackNetwork Start(int honestCount = 3)
    {
        var maker = new TestChain { MinedBy = "main-miner", Difficulty = Difficulty, FirstTimestamp = 1_733_000_000, Messages = h => [$"word {h}"] };
        var chain = maker.Mine(ChainLength);
        var fork = (maker with { MinedBy = "fork-miner", Messages = h => [$"fork {h}"] }).Extend(chain[..ForkHeight], 2);
        var honest = new List<LoopbackNode> { new("honest-0", chain, Difficulty, entry: null, seed: 0) };
        for (var i = 1; i < honestCount; i++)
        {
            honest.Add(new LoopbackNode($"honest-{i}", chain, Difficulty, entry: honest[0].EndPoint, seed: i));
        }

        var entry = honest[0].EndPoint;
        List<FakePeer> fakes =
        [
            new(NameOf(Fault.ReplyToSender, false), Fault.ReplyToSender, chain, entry),
            new(NameOf(Fault.TamperedBlock, false), Fault.TamperedBlock, chain, entry),
            new(NameOf(Fault.NegativeIndexesFromEnd, false), Fault.NegativeIndexesFromEnd, chain, entry),
            new(NameOf(Fault.Silent, false), Fault.Silent, chain, entry),
            new(NameOf(Fault.None, true), Fault.None, fork, entry),
        ];
        return new LoopbackNetwork(chain, honest, fakes);
    }

    public static string NameOf(Fault fault, bool fork) => fork ? "short-fork" : fault switch
    {
        Fault.ReplyToSender => "reply-to-sender",
        Fault.TamperedBlock => "tampered-block",
        Fault.NegativeIndexesFromEnd => "negative-index",
        Fault.Silent => "silent",
        _ => "plain",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var f in Fakes)
        {
            f.Dispose();
        }

        foreach (var n in Honest)
        {
            await n.DisposeAsync();
        }
    }
}
