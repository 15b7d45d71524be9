using Aviary.Chain;
using Aviary.Protocol;

using CsCheck;

namespace Aviary.Mining.Tests;

/// <summary>The small miner (the prober's ANNOUNCE check, the devnet's chain): its blocks validate, and its zero count agrees with the hex rule.</summary>
public sealed class QuickMinerTests
{
    [Fact]
    public void Trailing_zero_nibbles_agree_with_the_hex_count() =>
        Gen.Byte.Array[32].Select(b =>
        {
            // Bias towards trailing zeros so long runs are exercised.
            var zeros = b[0] % 8;
            for (var i = 0; i < zeros; i++)
            {
                b[31 - i] = 0;
            }

            if (b[1] % 2 == 0)
            {
                b[31 - zeros] &= 0xF0;
            }

            return b;
        }).Sample(b => Assert.Equal(Hex.TrailingZeros(Convert.ToHexStringLower(b)), QuickMiner.TrailingZeroNibbles(b)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Mined_chains_validate_at_their_difficulty(int difficulty)
    {
        var chain = QuickMiner.MineChain(4, difficulty, "miner ü", h => [$"word {h}"], h => 1_733_000_000 + h);
        string? previous = null;
        foreach (var block in chain)
        {
            Assert.Equal(BlockVerdict.Ok, BlockValidator.Validate(block, previous, block.Height, difficulty));
            previous = block.Hash;
        }
    }

    [Fact]
    public void Mining_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Null(QuickMiner.Mine(0, null, "x", ["y"], 1, 64, cancelled.Token));
    }
}
