using System.Diagnostics;

using Aviary.Chain;
using Aviary.Mining;
using Aviary.Mining.Gpu;

namespace Aviary.Bench;

/// <summary>
/// The kernel correctness check carried to a GPU machine: on a genesis and two non-genesis templates (one
/// with 10 messages, one in UTF-8) the GPU finds the same first nonce as the best CPU tier at difficulty 5
/// and 6, then mines a block at the block difficulty (8 on a GPU) that <see cref="BlockValidator"/> accepts.
/// One line per case; false on any mismatch.
/// </summary>
internal static class GpuCheck
{
    private const string PreviousHash = "8f2c1d0a9b7e6f5a4c3b2a19080706050403020100ffeeddccbbaa9988776655";

    private static readonly (string Name, BlockTemplate Template)[] Templates =
    [
        ("genesis, 1 message", BlockTemplate.Genesis("aviary-gpu-check", ["first"], 1_733_000_000)),
        ("block 812, 10 messages", new BlockTemplate(PreviousHash, 812, "aviary-gpu-check", [.. Enumerable.Range(0, 10).Select(i => $"word {i}")], 1_733_049_000)),
        ("block 5, UTF-8", new BlockTemplate(PreviousHash, 5, "möwe-🐦", ["grüße vom Vogelhaus", "日本語のメッセージ"], 1_733_000_300)),
    ];

    public static async Task<bool> RunAsync(GpuTier tier, int blockDifficulty, TextWriter o, CancellationToken cancellationToken)
    {
        o.WriteLine($"aviary bench mining --gpu --check on {tier.Label}");
        var cpu = HashTiers.Best;
        var ok = true;
        foreach (var difficulty in new[] { 5, 6 })
        {
            foreach (var (name, template) in Templates)
            {
                var layout = NonceLayout.For(template);
                var expected = cpu.Search(layout, 0, 1UL << 32, difficulty, cancellationToken);
                var clock = Stopwatch.StartNew();
                var found = tier.Search(layout, 0, 1UL << 32, difficulty, cancellationToken);
                var same = found is not null && found.Nonce == expected?.Nonce && found.Hash == expected.Hash;
                ok &= same;
                o.WriteLine($"  difficulty {difficulty}, {name}: {(same ? "same first nonce" : "MISMATCH")} (gpu {found?.Nonce ?? "none"}, {cpu.Name} {expected?.Nonce ?? "none"}; gpu {clock.Elapsed.TotalSeconds:0.00} s)");
            }
        }

        var (blockName, blockTemplate) = Templates[1];
        var timer = Stopwatch.StartNew();
        var block = await new Miner(tier, 1).MineAsync(blockTemplate, blockDifficulty, cancellationToken, CounterRanges.GpuStart, CounterRanges.LocalEnd);
        BlockVerdict? verdict = block is null ? null : BlockValidator.Validate(block, blockTemplate.PreviousHash, blockTemplate.Height, blockDifficulty);
        var valid = verdict?.IsValid == true;
        ok &= valid;
        o.WriteLine($"  difficulty {blockDifficulty}, {blockName}: {(valid ? "block accepted by BlockValidator" : $"REJECTED ({verdict?.ToString() ?? "no block"})")} (nonce {block?.Nonce ?? "none"}, hash {block?.Hash ?? "none"}; {timer.Elapsed.TotalSeconds:0.0} s)");
        o.WriteLine(ok ? "check passed" : "check FAILED");
        return ok;
    }
}
