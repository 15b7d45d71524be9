using Aviary.Node.Sync;

using static Aviary.Node.Tests.Sync.SyncFixtures;

namespace Aviary.Node.Tests.Sync;

public sealed class PeerVerdictsTests
{
    [Fact]
    public void Misbehaving_lists_each_peer_once_in_the_order_found_and_left_out_peers_not_at_all()
    {
        var verdicts = new PeerVerdicts();
        verdicts.Misbehaved(P(2), "bad block 7");
        verdicts.LeftOut(P(3), "a helper on another chain");
        verdicts.Misbehaved(P(1), "no block below its claim");
        verdicts.Misbehaved(P(2), "bad block 9");
        Assert.Equal(new[] { P(2), P(1) }, verdicts.Misbehaving);
        Assert.False(verdicts.IsMisbehaving(P(3)));
        Assert.Equal($"{P(2)}: bad block 9", verdicts.LastPenalty);
        Assert.Equal(new[] { VerdictKind.Misbehaved, VerdictKind.LeftOut, VerdictKind.Misbehaved, VerdictKind.Misbehaved }, verdicts.All.Select(v => v.Kind));
    }
}
