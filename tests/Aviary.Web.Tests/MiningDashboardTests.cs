using Microsoft.Playwright;

namespace Aviary.Web.Tests;

/// <summary>
/// The dashboard of real nodes on loopback, composed as <c>aviary run</c> composes them, in Debian's
/// Chromium: what the page says about mining, charts and peers is what the nodes do.
/// </summary>
public sealed class MiningDashboardTests
{
    /// <summary>How soon a peer's row must show a height the network reached (the claim refresh runs every 10 s).</summary>
    private const float FollowMilliseconds = 15_000;

    [Fact]
    public async Task A_mining_node_shows_its_rate_its_block_the_waiting_words_and_growing_charts()
    {
        await using var browser = await Chromium.LaunchAsync();

        // Difficulty 8 on the course's real genesis: block 1 is not found in the test's time, so the
        // block being mined and the words waiting stay put.
        await using var node = await HostedNode.StartAsync("browser-miner", 8, mine: true, chain: [HostedNode.CourseGenesis]);
        var page = await browser.NewPageAsync();
        var errors = Errors(page);
        await page.GotoAsync(node.Web.ToString());
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("#miner-state")).ToHaveTextAsync("mining block 1 (job 1)");

        await node.SendWordsAsync(Enumerable.Range(1, 12).Select(i => $"word {i:00}"));
        await Assertions.Expect(page.Locator("#miner-current .chip")).ToHaveTextAsync([.. Enumerable.Range(1, 10).Select(i => $"word {i:00}")]);
        await Assertions.Expect(page.Locator("#miner-waiting .chip")).ToHaveTextAsync(["word 11", "word 12"]);
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#miner').dataset.rate) > 0");
        await Assertions.Expect(page.Locator("#miner-rate")).ToContainTextAsync("H/s on 1 thread (");

        // The charts are drawn (uPlot's canvas) and gain a point with each live status.
        await Assertions.Expect(page.Locator("#chart-hashrate canvas")).ToHaveCountAsync(1);
        var points = int.Parse(await page.Locator("#chart-hashrate").GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('#chart-hashrate').dataset.points) >= {points + 3} && Number(document.querySelector('#chart-height').dataset.points) >= {points + 3}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Peer_heights_follow_a_mining_network_within_fifteen_seconds()
    {
        await using var browser = await Chromium.LaunchAsync();

        // Difficulty 6: a block every fraction of a second to a few seconds, depending on the machine.
        await using var miner = await HostedNode.StartAsync("miner-a", 6, mine: true);
        await using var watcher = await HostedNode.StartAsync("watcher-b", 6, mine: false, peers: [miner.Udp]);
        await using var other = await HostedNode.StartAsync("watcher-c", 6, mine: false, peers: [miner.Udp]);
        var page = await browser.NewPageAsync();
        var errors = Errors(page);
        await page.GotoAsync(watcher.Web.ToString());
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        var row = $"#peers tbody tr[data-address='{miner.Udp}']";

        // Three times: the miner's height as the network has it now must show in the watcher's row for
        // the miner within 15 s, with a claim age under 15 s.
        for (var round = 0; round < 3; round++)
        {
            var before = await miner.ReadAsync(c => c.Chain.Count);
            await miner.WaitForAsync(c => c.Chain.Count > before, seconds: 120);
            var reached = await miner.ReadAsync(c => c.Chain.Count);
            await page.WaitForFunctionAsync($"() => Number(document.querySelector(\"{row}\")?.dataset.height) >= {reached}", null, new PageWaitForFunctionOptions { Timeout = FollowMilliseconds });
            await Assertions.Expect(page.Locator($"{row} td.age")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("stale"));
        }

        // The watcher tracks both others, and the height chart has points.
        await Assertions.Expect(page.Locator("#peers tbody tr")).ToHaveCountAsync(2);

        // The miner's detail: a bootstrap peer, so proven; not misbehaving.
        await page.Locator(row).ClickAsync();
        await Assertions.Expect(page.Locator("#detail-title")).ToHaveTextAsync("Peer miner-a");
        await Assertions.Expect(page.Locator("#peer-proven")).ToContainTextAsync("yes");
        await Assertions.Expect(page.Locator("#peer-misbehaving")).ToHaveTextAsync("no");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#chart-height').dataset.points) >= 3");
        Assert.Empty(errors);

        await SaveScreenshotAsync(browser, miner);
    }

    /// <summary>
    /// With AVIARY_SCREENSHOT=PATH, the miner's page (words waiting, two peers, charts) is saved there:
    /// docs/dashboard.png is made so. Checked for what the page must show first.
    /// </summary>
    private static async Task SaveScreenshotAsync(Chromium browser, HostedNode miner)
    {
        var path = Environment.GetEnvironmentVariable("AVIARY_SCREENSHOT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var page = await browser.NewPageAsync(height: 1000);
        await page.GotoAsync(miner.Web.ToString());
        await miner.SendWordsAsync(Enumerable.Range(1, 120).Select(i => $"hello aviary {i}"));
        await Assertions.Expect(page.Locator("#peers tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#miner-waiting .chip").First).ToContainTextAsync("hello aviary");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('#chart-interval').dataset.points) >= 10");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
    }

    private static List<string> Errors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        return errors;
    }
}
