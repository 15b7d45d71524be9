using Microsoft.Playwright;

namespace Aviary.Web.Tests;

/// <summary>
/// The dashboard in headless Debian Chromium, driven by Playwright (which never downloads a browser
/// here). CI installs /usr/bin/chromium; without it the test fails in CI and skips elsewhere.
/// </summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task The_page_shows_new_blocks_live_opens_a_block_and_keeps_peer_strings_as_text()
    {
        await using var browser = await Chromium.LaunchAsync();
        await using var node = await LiveNode.StartAsync(blocks: 25, name: "<i>browser</i> node");
        await node.AddPeerAsync("<b>Bad Actor</b>");
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };

        await page.GotoAsync(node.Web.Address.ToString());
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("#height")).ToHaveTextAsync("25");
        await Assertions.Expect(page.Locator("#node-name")).ToHaveTextAsync("<i>browser</i> node");

        // Hostile names are text: the literal markup shows, and no element is made from it.
        var peerRow = page.Locator("#peers tbody tr");
        await Assertions.Expect(peerRow).ToHaveCountAsync(1);
        await Assertions.Expect(peerRow.Locator("td.name")).ToContainTextAsync("<b>Bad Actor</b>");
        Assert.Equal(0, await page.Locator("#peers b, #node-name i").CountAsync());

        await Assertions.Expect(page.Locator("#blocks tbody tr")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#blocks tbody tr").First).ToHaveAttributeAsync("data-height", "24");

        // A block offered to the node appears at the top of the list without a reload.
        var block = await node.OfferNextAsync("<script>alert(1)</script>", ["live", "update"]);
        var top = page.Locator("#blocks tbody tr").First;
        await Assertions.Expect(top).ToHaveAttributeAsync("data-height", "25");
        await Assertions.Expect(top.Locator("td.name")).ToHaveTextAsync("<script>alert(1)</script>");
        await Assertions.Expect(page.Locator("#height")).ToHaveTextAsync("26");

        // Its detail opens from the list.
        await top.ClickAsync();
        await Assertions.Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#detail-title")).ToHaveTextAsync("Block 25");
        await Assertions.Expect(page.Locator("#detail-hash")).ToHaveTextAsync(block.Hash);
        await Assertions.Expect(page.Locator("#detail-miner")).ToHaveTextAsync("<script>alert(1)</script>");
        await Assertions.Expect(page.Locator("#detail .messages-list li")).ToHaveTextAsync(["live", "update"]);

        // Paging: the previous-block link walks down the chain, the close button hides the panel.
        await page.Locator("#detail .detail-nav a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-title")).ToHaveTextAsync("Block 24");
        await page.Locator("#detail-close").ClickAsync();
        await Assertions.Expect(page.Locator("#detail")).ToBeHiddenAsync();
        await page.Locator("#older").ClickAsync();
        await Assertions.Expect(page.Locator("#blocks tbody tr").First).ToHaveAttributeAsync("data-height", "5");

        Assert.Empty(errors);
    }
}
