using System.Diagnostics;

using Aviary.Protocol;

namespace Aviary.Crash.Tests;

/// <summary>
/// A real <c>aviary run</c> syncing into SQLite from an in-process server on 127.0.0.1, killed with
/// SIGKILL at random moments and restarted on the same data directory. After each kill the store must
/// load clean (every block verified, nothing to repair) and hold at least the height the node last
/// reported committed; a restarted node must not fetch again what it had reported committed; the
/// last run must reach the server's top. <c>AVIARY_CRASH_KILLS</c> sets the number of kills (20 in CI).
/// </summary>
public sealed class CrashRestartTests
{
    /// <summary>Bound on one wait for a node's line (a committed batch arrives in well under a second).</summary>
    private static readonly TimeSpan LineBound = TimeSpan.FromSeconds(60);

    /// <summary>Bound on the final run's sync of what is left of the chain.</summary>
    private static readonly TimeSpan FinishBound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killed_node_keeps_every_reported_commit_and_never_fetches_it_again()
    {
        var settings = CrashSettings.FromEnvironment();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(settings.Deadline);
        var cancel = deadline.Token;
        var clock = Stopwatch.StartNew();
        var output = TestContext.Current.TestOutputHelper;
        var chain = CrashChain.Mine(settings.Blocks);
        var data = Directory.CreateTempSubdirectory("aviary-crash-").FullName;
        var random = new Random(settings.Seed);
        var ports = new FreePorts();
        var runs = new List<CrashRun>();
        try
        {
            await using var server = new ServingNode(chain);
            long reported = 0;
            while (runs.Count <= settings.Kills)
            {
                var plan = runs.Count == settings.Kills ? null : KillPlan.Draw(random);
                var port = ports.Next();
                await using var node = NodeProcess.Start(data, port, server.Address.Port, settings.CommitBatch, $"crash-{runs.Count}");
                var storedBefore = runs.Count == 0 ? 0 : runs[^1].Stored;
                if (!await RunAsync(node, plan, chain, storedBefore, port, cancel))
                {
                    // The port was taken between our probe and the child's bind: not a run, try another.
                    continue;
                }

                var context = $"run {runs.Count} ({plan?.ToString() ?? "final"}, seed {settings.Seed})";
                if (node.Committed > 0)
                {
                    Assert.True(node.CommittedTop == chain[(int)node.Committed - 1].Hash, $"{context}: committed line names the wrong top\n{node.Describe()}");
                }

                var before = reported;
                reported = Math.Max(reported, node.Committed);
                var stored = StoreCheck.Verify(data, chain, reported, context);
                runs.Add(new CrashRun(port, before, node.Committed, stored, plan, LostLine: stored > Math.Max(node.Committed, storedBefore)));
                output?.WriteLine($"{context}: committed before {before}, reported {node.Committed}, stored {stored}");
            }

            Assert.Equal(chain.Count, runs[^1].Stored);
            var refetched = runs.Select(r => AssertNoRefetch(server, r)).ToList();
            var midSync = runs.SkipLast(1).Count(r => r.Stored < chain.Count);
            var unreported = runs.Count(r => r.LostLine);
            Assert.True(midSync >= settings.Kills / 2, $"only {midSync} of {settings.Kills} kills landed before the node had the whole chain: the test no longer kills during a sync");
            output?.WriteLine(
                $"{settings.Kills} kills ({runs.Count(r => r.Plan is { Early: true })} early, {midSync} mid-sync, {unreported} after a commit whose line was lost), "
                + $"{runs.Count - 1} restarts, {chain.Count:N0} blocks, commit batch {settings.CommitBatch}, seed {settings.Seed}; every load clean, stored never below reported; "
                + $"re-requested below the committed height per restart: max {refetched.Max()} GET_BLOCKs; {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Runs one node to its kill: at a random moment (<paramref name="plan"/>), or for the final run
    /// (no plan) once it serves the server's whole chain. False when it never bound its port.
    /// </summary>
    private static async Task<bool> RunAsync(NodeProcess node, KillPlan? plan, List<Block> chain, long storedBefore, int port, CancellationToken cancel)
    {
        if (plan is { Early: true })
        {
            // Anywhere from .NET start-up through loading, joining and the fork search to the first commit.
            await node.ReadForAsync(p => p.CommitLines >= 1, plan.Delay, cancel);
        }
        else
        {
            var lines = plan?.CommitLines ?? int.MaxValue;
            var done = storedBefore >= chain.Count || await node.ReadUntilAsync(p => p.CommitLines >= lines || p.Committed >= chain.Count, plan is null ? FinishBound : LineBound, cancel);
            if (!done && BindFailed(node))
            {
                return false;
            }

            Assert.True(done, $"the node stopped before committing\n{node.Describe()}");
            if (plan is null)
            {
                var stats = await StatsProbe.AskAsync(port, TimeSpan.FromSeconds(30), cancel);
                Assert.Equal((chain.Count, chain[^1].Hash), (stats.Height ?? -1, stats.Hash));
            }
            else
            {
                await Task.Delay(plan.Delay, cancel);
            }
        }

        await node.KillAsync(cancel);
        if (node.ExitedByItself)
        {
            Assert.True(BindFailed(node), $"the node exited on its own\n{node.Describe()}");
            return false;
        }

        return true;
    }

    private static bool BindFailed(NodeProcess node) => node.ExitedByItself && node.Errors.Contains("cannot bind", StringComparison.Ordinal);

    /// <summary>
    /// GET_BLOCKs a restarted run sent for heights its predecessors had reported committed. The only
    /// allowed ones are fork-search probes: the node compares hashes at its own top to find where the
    /// claimed chain leaves it (one probe when they match; a galloping search costs at most about
    /// 2·log2(height)). They are excluded explicitly by this bound; every other block at or below the
    /// committed height must not be downloaded again.
    /// </summary>
    private static int AssertNoRefetch(ServingNode server, CrashRun run)
    {
        if (run.CommittedBefore <= 0)
        {
            return 0;
        }

        var below = server.RequestsFrom(run.Port).Where(r => r.Key < run.CommittedBefore).ToList();
        var total = below.Sum(r => r.Value);
        var probeBound = (2 * (int)Math.Ceiling(Math.Log2(run.CommittedBefore))) + 4;
        Assert.True(total <= probeBound, $"a restart at committed height {run.CommittedBefore} asked again for {total} blocks at or below it (probe bound {probeBound}): heights {string.Join(", ", below.OrderBy(r => r.Key).Take(20).Select(r => $"{r.Key}×{r.Value}"))}");
        return total;
    }

    /// <param name="LostLine">The kill came after a commit but before its line was read: stored above what the run reported.</param>
    private sealed record CrashRun(int Port, long CommittedBefore, long Committed, long Stored, KillPlan? Plan, bool LostLine);
}
