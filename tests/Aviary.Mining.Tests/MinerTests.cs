using Aviary.Chain;

using Microsoft.Extensions.Time.Testing;

namespace Aviary.Mining.Tests;

/// <summary>The multi-threaded miner and the genesis helper.</summary>
public sealed class MinerTests
{
    [Fact]
    public async Task Miner_on_two_threads_finds_a_valid_block()
    {
        var miner = new Miner(HashTiers.Best, threads: 2);
        var template = Templates.Simple(height: 99);

        var block = await miner.MineAsync(template, 4, TestContext.Current.CancellationToken);

        Assert.NotNull(block);
        Assert.True(BlockValidator.Validate(block, template.PreviousHash, 99, 4).IsValid);
        Assert.True(miner.Attempts > 0);
    }

    [Fact(Timeout = 120_000)]
    public async Task Cancelling_a_running_miner_ends_it_with_no_block()
    {
        var miner = new Miner(HashTiers.Best, threads: 2);
        using var cancel = new CancellationTokenSource();
        var run = miner.MineAsync(Templates.Simple(), 64, cancel.Token);

        // Wait (without sleeping) until the threads have finished a chunk, so the search is really running.
        while (miner.Attempts == 0)
        {
            await Task.Yield();
        }

        cancel.Cancel();
        Assert.Null(await run);
    }

    [Fact(Timeout = 120_000)]
    public async Task Miner_reports_attempts_per_second_over_its_run()
    {
        var time = new FakeTimeProvider();
        var miner = new Miner(HashTiers.Best, threads: 2, time);
        Assert.Equal(0, miner.AttemptsPerSecond);
        using var cancel = new CancellationTokenSource();
        var run = miner.MineAsync(Templates.Simple(), 64, cancel.Token);
        while (miner.Attempts == 0)
        {
            await Task.Yield();
        }

        time.Advance(TimeSpan.FromSeconds(2));
        var before = miner.Attempts;
        var rate = miner.AttemptsPerSecond;
        var after = miner.Attempts;
        Assert.InRange(rate, before / 2.0, after / 2.0);

        cancel.Cancel();
        await run;
        var final = miner.AttemptsPerSecond;
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(final, miner.AttemptsPerSecond);
        Assert.Equal(miner.Attempts / 2.0, final);
    }

    [Fact]
    public async Task Restarting_with_a_new_template_mines_on_the_new_tip()
    {
        var miner = new Miner(HashTiers.Best, threads: 2);
        using var cancel = new CancellationTokenSource();
        var old = miner.MineAsync(Templates.Simple(height: 5), 64, cancel.Token);
        cancel.Cancel();
        Assert.Null(await old);

        var tip = Templates.Simple(height: 6) with { PreviousHash = new string('0', 56) + "12345678" };
        var block = await miner.MineAsync(tip, 3, TestContext.Current.CancellationToken);
        Assert.NotNull(block);
        Assert.True(BlockValidator.Validate(block, tip.PreviousHash, 6, 3).IsValid);
    }

    [Fact]
    public void Genesis_block_mined_at_difficulty_4_validates_and_is_reproducible()
    {
        string[] messages = ["Keep it", "simple."];
        var block = GenesisMiner.Mine("devnet", messages, 1_730_000_000, 4, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(block);
        Assert.Equal(0, block.Height);
        var verdict = BlockValidator.ValidateGenesis(block, 4);
        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(block, GenesisMiner.Mine("devnet", messages, 1_730_000_000, 4, HashTiers.Scalar, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Genesis_block_mined_on_threads_validates()
    {
        var block = await GenesisMiner.MineAsync(new Miner(HashTiers.Best, 2), "devnet", ["Veni", "vidi", "vici"], 1_730_000_000, 4, TestContext.Current.CancellationToken);

        Assert.NotNull(block);
        Assert.True(BlockValidator.ValidateGenesis(block, 4).IsValid);
    }

    [Fact]
    public void Miner_refuses_a_template_that_cannot_be_mined()
    {
        var miner = new Miner(HashTiers.Scalar, 1);
        Assert.Throws<ArgumentException>(() => { _ = miner.MineAsync(Templates.Simple() with { Messages = [] }, 4, TestContext.Current.CancellationToken); });
    }
}
