using Aviary.Chain;

namespace Aviary.Mining.Tests;

/// <summary>Nonce layouts: always a legal nonce, counter digits in the last block, word 13 when it fits.</summary>
public sealed class NonceLayoutTests
{
    [Fact]
    public void Every_layout_gives_nonces_under_40_lowercase_hex_characters()
    {
        var random = new Random(42);
        for (var tail = 0; tail < 64; tail++)
        {
            foreach (var genesis in new[] { false, true })
            {
                var template = Templates.WithTail(tail, random, genesis);
                Assert.Equal(tail, Templates.PrefixTail(template));
                var layout = NonceLayout.For(template);
                Assert.InRange(layout.NonceLength, NonceLayout.CounterDigits, BlockValidator.MaxNonceLength);
                Assert.InRange(layout.FastWord, 4, 13);
                Assert.InRange(layout.FastDigits, 3, 4);
                foreach (var counter in new[] { 0UL, NonceLayout.CounterLimit - 1, (ulong)random.NextInt64((long)NonceLayout.CounterLimit) })
                {
                    var nonce = layout.NonceFor(counter);
                    Assert.Equal(layout.NonceLength, nonce.Length);
                    Assert.All(nonce, c => Assert.True(char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c), $"'{c}' in {nonce}"));
                    var block = layout.BlockFor(counter);
                    Assert.True(BlockValidator.CheckStructure(block, template.Height).IsValid);
                    Assert.True(BlockHasher.Matches(block, template.PreviousHash));
                }
            }
        }
    }

    [Fact]
    public void Nonce_ends_in_word_13_whenever_the_prefix_leaves_16_to_43_bytes()
    {
        var random = new Random(7);
        for (var tail = 0; tail < 64; tail++)
        {
            var layout = NonceLayout.For(Templates.WithTail(tail, random));
            Assert.Equal(tail is >= 16 and <= 43, layout.FastWord == 13);
        }
    }

    [Fact]
    public void Distinct_counters_give_distinct_nonces_ending_in_the_counter()
    {
        var layout = NonceLayout.For(Templates.Simple());
        Assert.EndsWith("00000000abcd", layout.NonceFor(0xabcd), StringComparison.Ordinal);
        Assert.NotEqual(layout.NonceFor(1), layout.NonceFor(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.NonceFor(NonceLayout.CounterLimit));
    }

    [Fact]
    public void Templates_that_cannot_make_a_valid_block_are_refused()
    {
        var ok = Templates.Simple();
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { Messages = [] }));
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { Messages = Enumerable.Repeat("m", 11).ToList() }));
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { Messages = ["twenty-one characters"] }));
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { PreviousHash = null }));
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { PreviousHash = "ABC" }));
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { Height = 0 }));
        Assert.Throws<ArgumentException>(() => NonceLayout.For(ok with { Timestamp = -1 }));
        Assert.Null(ok.Problem());
    }
}
