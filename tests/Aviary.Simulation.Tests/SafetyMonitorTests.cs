using Aviary.Chain;
using Aviary.Simulation.Chains;

namespace Aviary.Simulation.Tests;

/// <summary>The monitor itself must be able to fail: these feed it chains that break safety behind the core's back.</summary>
public sealed class SafetyMonitorTests
{
    [Theory]
    [InlineData(BadBlock.HashMismatch, BlockRule.HashMismatch)]
    [InlineData(BadBlock.InsufficientWork, BlockRule.InsufficientWork)]
    [InlineData(BadBlock.TooManyMessages, BlockRule.TooManyMessages)]
    [InlineData(BadBlock.MessageTooLong, BlockRule.MessageTooLong)]
    [InlineData(BadBlock.NonceTooLong, BlockRule.NonceTooLong)]
    [InlineData(BadBlock.WrongParent, BlockRule.HashMismatch)]
    public void An_invalid_block_in_an_honest_store_is_caught_at_its_height(BadBlock kind, BlockRule rule)
    {
        using var net = new MiniNet();
        var chain = ChainFactory.Build(8, "c", 1);
        chain.Add(SimMiner.Invalid(kind, 8, chain[^1].Hash, "bad", SimMiner.GenesisTime, 1));
        chain = ChainFactory.Extend(chain, 2, "c", 1);
        net.AddHonest(chain);
        var violation = Assert.Single(net.Safety.Violations);
        Assert.Equal(8, violation.Height);
        Assert.Contains(rule.ToString(), violation.Problem, StringComparison.Ordinal);
        Assert.Equal(rule, BlockValidator.Validate(chain[8], chain[7], 1).Rule);
    }

    [Fact]
    public void A_chain_that_shrinks_across_a_restart_is_a_violation()
    {
        using var net = new MiniNet();
        var (node, peer) = net.AddHonest(ChainFactory.Build(10, "c", 1));
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(1));
        Assert.Empty(net.Safety.Violations);
        net.Simulation.Crash(node);
        peer.Store.ReplaceFrom(4, []);
        net.Simulation.Restart(node);
        Assert.Contains("shrank from 10 to 4", Assert.Single(net.Safety.Violations).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_valid_change_is_checked_block_by_block()
    {
        using var net = new MiniNet();
        var (_, peer) = net.AddHonest(ChainFactory.Build(10, "c", 1));
        net.StartAll();
        net.Run(TimeSpan.FromSeconds(1));
        var before = net.Safety.BlocksValidated;
        Assert.True(peer.MineAndAnnounce("one"));
        Assert.True(peer.MineAndAnnounce("two"));
        Assert.Equal(before + 2, net.Safety.BlocksValidated);
        net.AssertHealthy();
    }
}
