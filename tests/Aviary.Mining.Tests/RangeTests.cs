using Aviary.Chain;

namespace Aviary.Mining.Tests;

/// <summary>Counter ranges: the miner stays inside the range it is given, and the node's split never overlaps.</summary>
public sealed class RangeTests
{
    [Fact]
    public async Task Miner_finds_the_first_solution_inside_its_range()
    {
        var template = Templates.Simple(height: 12);
        var layout = NonceLayout.For(template);
        var start = CounterRanges.SlotStart(3);
        var expected = Templates.ReferenceFirst(layout, start, 2);

        var block = await new Miner(HashTiers.Best, threads: 1).MineAsync(template, 2, TestContext.Current.CancellationToken, start, start + Miner.ChunkSize);

        Assert.NotNull(block);
        Assert.Equal(layout.NonceFor(expected), block.Nonce);
        Assert.True(BlockValidator.Validate(block, template.PreviousHash, 12, 2).IsValid);
    }

    [Fact]
    public async Task Miner_ends_with_no_block_when_its_range_holds_none()
    {
        var template = Templates.Simple(height: 13);
        var layout = NonceLayout.For(template);

        // A range that ends just before the first solution after its start: every counter in it fails.
        var start = CounterRanges.LocalEnd - 40_000;
        var first = Templates.ReferenceFirst(layout, start, 3);
        while (first == start)
        {
            start++;
            first = Templates.ReferenceFirst(layout, start, 3);
        }

        var miner = new Miner(HashTiers.Best, threads: 2);
        var block = await miner.MineAsync(template, 3, TestContext.Current.CancellationToken, start, first);

        Assert.Null(block);
        Assert.Equal((long)(first - start), miner.Attempts);
    }

    [Fact]
    public void Worker_slots_split_the_upper_half_without_overlap()
    {
        Assert.Equal(CounterRanges.LocalEnd, CounterRanges.SlotStart(0));
        for (var slot = 1; slot < CounterRanges.MaxSlots; slot++)
        {
            Assert.Equal(CounterRanges.SlotStart(slot - 1) + CounterRanges.SlotSize, CounterRanges.SlotStart(slot));
        }

        Assert.Equal(NonceLayout.CounterLimit, CounterRanges.SlotStart(CounterRanges.MaxSlots - 1) + CounterRanges.SlotSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterRanges.SlotStart(CounterRanges.MaxSlots));
    }

    [Fact]
    public void Miner_refuses_a_range_past_the_counter_space()
    {
        var miner = new Miner(HashTiers.Scalar, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = miner.MineAsync(Templates.Simple(), 2, TestContext.Current.CancellationToken, 0, NonceLayout.CounterLimit + 1); });
    }
}
