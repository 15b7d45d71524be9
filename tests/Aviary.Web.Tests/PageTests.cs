using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aviary.Web.Tests;

/// <summary>The page and its assets: served from the assembly, locked down, and built without HTML parsing of data.</summary>
public sealed partial class PageTests
{
    [Fact]
    public async Task The_page_and_its_assets_are_served_with_a_strict_policy()
    {
        await using var node = await LiveNode.StartAsync(blocks: 1);
        var cancel = TestContext.Current.CancellationToken;
        using var page = await node.Http.GetAsync("/", cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(cancel);
        Assert.Contains("<script src=\"/app.js\" defer></script>", html);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        foreach (var (path, type) in new[] { ("/app.js", "text/javascript"), ("/app.css", "text/css"), ("/favicon.svg", "image/svg+xml") })
        {
            using var asset = await node.Http.GetAsync(path, cancel);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }

        using var missing = await node.Http.GetAsync("/nothing.js", cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_page_carries_its_first_state_as_escaped_JSON_data()
    {
        await using var node = await LiveNode.StartAsync(blocks: 3, name: "</script><script>alert(1)</script>");
        await node.AddPeerAsync("<b>Bad Actor</b>");
        var html = await node.Http.GetStringAsync("/", TestContext.Current.CancellationToken);

        // No peer-supplied markup survives as markup: the only tags are the page's own.
        Assert.DoesNotContain("<b>Bad Actor</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("\\u003Cb\\u003EBad Actor\\u003C/b\\u003E", html, StringComparison.Ordinal);

        var start = html.IndexOf("<script id=\"initial-state\" type=\"application/json\">", StringComparison.Ordinal);
        Assert.True(start > 0);
        var body = html[(html.IndexOf('>', start) + 1)..html.IndexOf("</script>", start, StringComparison.Ordinal)];
        var state = JsonDocument.Parse(body).RootElement;
        Assert.Equal("</script><script>alert(1)</script>", state.GetProperty("status").GetProperty("node").GetProperty("name").GetString());
        Assert.Equal("<b>Bad Actor</b>", state.GetProperty("status").GetProperty("peers")[0].GetProperty("name").GetString());
        Assert.Equal(3, state.GetProperty("blocks").GetProperty("blocks").GetArrayLength());
    }

    [Fact]
    public void The_script_never_parses_strings_as_HTML()
    {
        var script = StaticAssets.Text("app.js");
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setHTMLUnsafe", "createContextualFragment" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }

        // Strings reach the DOM through append (text nodes) and textContent only.
        Assert.Contains("e.append(c instanceof Node ? c : String(c))", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_has_no_inline_script_or_style_and_no_outside_resource()
    {
        var html = StaticAssets.Text("index.html");
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineHandler(), html);
        foreach (var asset in StaticAssets.Names)
        {
            // Two URLs that load nothing: the SVG namespace, and the vendored uPlot's banner comment naming its home.
            var text = StaticAssets.Text(asset)
                .Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal)
                .Replace("/*! https://github.com/leeoniya/uPlot (v1.6.32) */", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotMatch(OutsideUrl(), text);
        }
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<[^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideUrl();
}
