using System.Text.Json;

using Microsoft.Playwright;

namespace Aviary.Census.Tests;

/// <summary>The node's census through its JSON API (/api/network) and the Network page in a browser.</summary>
public sealed class NetworkPageTests(NetworkPageFixture fixture) : IClassFixture<NetworkPageFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_api_lists_every_peer_with_its_grade_branch_and_the_miners()
    {
        using var http = new HttpClient { BaseAddress = fixture.Web.Address };
        var body = await http.GetStringAsync(new Uri("/api/network", UriKind.Relative), TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var peers = root.GetProperty("peers").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        var net = fixture.Net;
        Assert.True(peers.Count == net.Honest.Count - 1 + net.Fakes.Count, body);
        JsonElement Peer(string name) => peers[name];
        string[] FailedIds(string name) => [.. Peer(name).GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

        foreach (var honest in net.Honest.Skip(1))
        {
            Assert.Equal("A", Peer(honest.Name).GetProperty("grade").GetString());
            Assert.Equal("same", Peer(honest.Name).GetProperty("chainKind").GetString());
            Assert.Equal(honest.Address, Peer(honest.Name).GetProperty("address").GetString());
        }

        Assert.Equal(["gossip.reply"], FailedIds("reply-to-sender"));
        Assert.Equal(["chain.verifies"], FailedIds("tampered-block"));
        Assert.Equal(["get_block.negative"], FailedIds("negative-index"));
        Assert.False(Peer("silent").GetProperty("answered").GetBoolean());
        Assert.Equal("silent", Peer("silent").GetProperty("chain").GetString());
        Assert.Equal(JsonValueKind.Null, Peer("silent").GetProperty("grade").ValueKind);
        Assert.Equal("A", Peer("short-fork").GetProperty("grade").GetString());
        Assert.Equal(LoopbackNetwork.ForkHeight, Peer("short-fork").GetProperty("forkHeight").GetInt64());
        Assert.All(peers.Values, p => Assert.True(p.GetProperty("inMembership").GetBoolean()));

        var branches = root.GetProperty("branches").EnumerateArray().ToList();
        Assert.Equal(2, branches.Count);
        Assert.Equal(5, branches[0].GetProperty("peers").GetArrayLength());
        Assert.Equal($"fork at {LoopbackNetwork.ForkHeight}", branches[1].GetProperty("label").GetString());
        Assert.Equal(["short-fork"], branches[1].GetProperty("peers").EnumerateArray().Select(p => p.GetString()));

        var miner = Assert.Single(root.GetProperty("miners").EnumerateArray());
        Assert.Equal("main-miner", miner.GetProperty("name").GetString());
        Assert.Equal(LoopbackNetwork.ChainLength, miner.GetProperty("blocks").GetInt64());
        Assert.Equal(LoopbackNetwork.ChainLength, root.GetProperty("height").GetInt64());
    }

    [Fact]
    public async Task The_network_page_shows_peers_grades_branches_and_miners()
    {
        if (!File.Exists(Chromium))
        {
            const string Why = $"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(Why);
            }

            Assert.Skip(Why);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };

        await page.GotoAsync(fixture.Web.Address.ToString());
        await page.Locator("header a[href='/network']").ClickAsync();
        var rows = page.Locator("#net-peers tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(fixture.Net.Honest.Count - 1 + fixture.Net.Fakes.Count);
        await Assertions.Expect(rows.Filter(new() { HasText = "short-fork" })).ToContainTextAsync($"fork at {LoopbackNetwork.ForkHeight}");
        await Assertions.Expect(rows.Filter(new() { HasText = "tampered-block" })).ToContainTextAsync("chain.verifies: block 4");
        await Assertions.Expect(rows.Filter(new() { HasText = "silent" }).Locator("td").Nth(4)).ToHaveTextAsync("silent");
        await Assertions.Expect(page.Locator("#net-forks .branch")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#net-forks")).ToContainTextAsync("short-fork");
        await Assertions.Expect(page.Locator("#net-miners tbody tr")).ToContainTextAsync(["main-miner"]);
        await Assertions.Expect(page.Locator("#net-best")).ToHaveTextAsync("5");
        if (Environment.GetEnvironmentVariable("AVIARY_NETWORK_SCREENSHOT") is { Length: > 0 } shot)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        }

        Assert.Empty(errors);
    }
}
