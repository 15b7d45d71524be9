using System.Diagnostics;

using Aviary.Chain;

namespace Aviary.Mining.Gpu.Tests;

/// <summary>The ILGPU kernel, run on the CPU accelerator, finds exactly what the scalar CPU tier finds.</summary>
public sealed class KernelTests(CpuAccelerator cpu) : IClassFixture<CpuAccelerator>
{
    private const string PreviousHash = "8f2c1d0a9b7e6f5a4c3b2a19080706050403020100ffeeddccbbaa9988776655";

    public static TheoryData<string, int, ulong> Cases => new()
    {
        { "genesis, 1 message", 4, 0 },
        { "block 1, 1 message", 4, 0 },
        { "block 812, 10 messages", 4, 0 },
        { "genesis, UTF-8 text", 3, 0 },
        { "block 5, UTF-8 text", 4, 12_345 },
        { "block 812, 10 messages", 3, (1UL << 47) - 100_000 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_kernel_finds_the_scalar_tiers_first_nonce(string name, int difficulty, ulong start)
    {
        var layout = NonceLayout.For(Template(name));
        var expected = HashTiers.Scalar.Search(layout, start, 1UL << 24, difficulty, TestContext.Current.CancellationToken);

        var found = cpu.Tier.Search(layout, start, 1UL << 24, difficulty, TestContext.Current.CancellationToken, out var attempts);

        Assert.NotNull(expected);
        Assert.NotNull(found);
        Assert.Equal(expected.Nonce, found.Nonce);
        Assert.Equal(expected.Hash, found.Hash);
        Assert.True(BlockValidator.Validate(found, layout.Template.PreviousHash, layout.Template.Height, difficulty).IsValid);
        Assert.Equal(Counter(found.Nonce) - start + 1, attempts);
    }

    [Fact]
    public void Every_fast_word_position_finds_the_scalar_tiers_first_nonce()
    {
        // The minedBy length moves the nonce through the last block, so the fast word takes every position.
        var seen = new HashSet<int>();
        for (var pad = 0; pad < 64; pad++)
        {
            var layout = NonceLayout.For(new BlockTemplate(PreviousHash, 9, new string('m', 1 + pad), ["fast word"], 1_700_000_123));
            if (!seen.Add(layout.FastWord))
            {
                continue;
            }

            var expected = HashTiers.Scalar.Search(layout, 0, 1UL << 20, 3, TestContext.Current.CancellationToken);
            var found = cpu.Tier.Search(layout, 0, 1UL << 20, 3, TestContext.Current.CancellationToken);
            Assert.Equal(expected?.Nonce, found?.Nonce);
        }

        Assert.True(seen.Count >= 6, $"only fast words {string.Join(',', seen)} were tried");
    }

    [Fact]
    public void A_range_with_no_solution_is_searched_to_its_end()
    {
        var layout = NonceLayout.For(Template("block 1, 1 message"));
        var first = Counter(HashTiers.Scalar.Search(layout, 0, 1UL << 24, 3, TestContext.Current.CancellationToken)!.Nonce);
        Debug.Assert(first > 0, "the first solution is not counter 0");

        var found = cpu.Tier.Search(layout, 0, first, 3, TestContext.Current.CancellationToken, out var attempts);

        Assert.Null(found);
        Assert.Equal(first, attempts);
    }

    internal static BlockTemplate Template(string name) => name switch
    {
        "genesis, 1 message" => BlockTemplate.Genesis("aviary-gpu", ["first"], 1_700_000_000),
        "block 1, 1 message" => new BlockTemplate(PreviousHash, 1, "aviary-gpu", ["second"], 1_700_000_060),
        "block 812, 10 messages" => new BlockTemplate(PreviousHash, 812, "aviary-gpu", [.. Enumerable.Range(0, 10).Select(i => $"word {i}")], 1_700_049_000),
        "genesis, UTF-8 text" => BlockTemplate.Genesis("möwe-🐦", ["grüße vom Vogelhaus", "日本語のメッセージ"], 1_700_000_000),
        "block 5, UTF-8 text" => new BlockTemplate(PreviousHash, 5, "möwe-🐦", ["ça va? ✓"], 1_700_000_300),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static ulong Counter(string nonce) => Convert.ToUInt64(nonce[^NonceLayout.CounterDigits..], 16);
}
