using Aviary.Chain;

namespace Aviary.Mining.Tests;

/// <summary>Every tier returns the first valid block in a range, the same one plain hashing finds.</summary>
public sealed class SearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int, int> TierDifficultyTail
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (var name in HashTiers.All.Select(t => t.Name))
            {
                // Tails 30, 5 and 50 give fast words 13, 10 and 6.
                data.Add(name, 3, 30);
                data.Add(name, 4, 30);
                data.Add(name, 4, 5);
                data.Add(name, 4, 50);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TierDifficultyTail))]
    public void Tier_finds_the_same_first_nonce_as_plain_hashing(string name, int difficulty, int tail)
    {
        var tier = TierData.Supported(name);
        var layout = NonceLayout.For(Templates.WithTail(tail, new Random(tail)));
        var expected = Templates.ReferenceFirst(layout, 0, difficulty);

        var block = tier.Search(layout, 0, NonceLayout.CounterLimit, difficulty, Ct);

        Assert.NotNull(block);
        Assert.Equal(layout.NonceFor(expected), block.Nonce);
        Assert.True(BlockValidator.Validate(block, layout.Template.PreviousHash, layout.Template.Height, difficulty).IsValid);
    }

    [Theory]
    [MemberData(nameof(TierData.Names), MemberType = typeof(TierData))]
    public void Tier_respects_unaligned_range_bounds(string name)
    {
        var tier = TierData.Supported(name);
        var layout = NonceLayout.For(Templates.Simple());
        const ulong Start = 0x1_2345_6789;
        var first = Templates.ReferenceFirst(layout, Start, 3);

        // The range starting at the hit finds it; the range ending just before it does not.
        Assert.Equal(layout.NonceFor(first), tier.Search(layout, first, 1, 3, Ct)?.Nonce);
        Assert.Null(tier.Search(layout, Start, first - Start, 3, Ct));
        Assert.Equal(layout.NonceFor(first), tier.Search(layout, Start, first - Start + 1, 3, Ct)?.Nonce);
        Assert.Equal(layout.NonceFor(first), tier.Search(layout, Start + 1 <= first ? Start + 1 : Start, 1 << 20, 3, Ct)?.Nonce);
    }

    [Theory]
    [MemberData(nameof(TierData.Names), MemberType = typeof(TierData))]
    public void Tier_counts_the_counters_it_tried(string name)
    {
        var tier = (ICountingSearch)TierData.Supported(name);
        var layout = NonceLayout.For(Templates.Simple());
        const ulong Start = 5000;
        var first = Templates.ReferenceFirst(layout, Start, 3);

        Assert.NotNull(tier.Search(layout, Start, 1 << 20, 3, Ct, out var found));
        Assert.Equal(first - Start + 1, found);
        Assert.Null(tier.Search(layout, Start, first - Start, 3, Ct, out var exhausted));
        Assert.Equal(first - Start, exhausted);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Null(tier.Search(layout, Start, 1 << 20, 3, cancel.Token, out var cancelled));
        Assert.Equal(0UL, cancelled);
    }

    [Fact]
    public void Block_mined_at_difficulty_5_passes_the_validator()
    {
        var template = Templates.Simple(height: 1234);
        var block = HashTiers.Best.Search(template, 0, NonceLayout.CounterLimit, 5, Ct);

        Assert.NotNull(block);
        Assert.EndsWith("00000", block.Hash, StringComparison.Ordinal);
        Assert.True(block.Nonce.Length < 40);
        var verdict = BlockValidator.Validate(block, template.PreviousHash, template.Height, 5);
        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void Difficulty_0_takes_the_first_counter_of_the_range()
    {
        var layout = NonceLayout.For(Templates.Simple());
        Assert.Equal(layout.NonceFor(1000), HashTiers.Best.Search(layout, 1000, 10, 0, Ct)?.Nonce);
    }

    [Theory]
    [MemberData(nameof(TierData.Names), MemberType = typeof(TierData))]
    public void Cancelled_search_stops_and_returns_null(string name)
    {
        var tier = TierData.Supported(name);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        // Difficulty 64 (an all-zero hash) is never met: only cancellation can end this search.
        Assert.Null(tier.Search(Templates.Simple(), 0, NonceLayout.CounterLimit, 64, cancel.Token));
    }

    [Fact]
    public void Unsupported_tier_refuses_to_search()
    {
        var missing = HashTiers.All.FirstOrDefault(t => !t.IsSupported);
        Assert.SkipWhen(missing is null, "this machine supports every tier");
        Assert.Throws<PlatformNotSupportedException>(() => missing.Search(Templates.Simple(), 0, 16, 1, Ct));
    }
}
