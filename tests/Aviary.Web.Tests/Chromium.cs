using Microsoft.Playwright;

namespace Aviary.Web.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) driven by Playwright, which never downloads a browser here. CI
/// installs it; without it a browser test fails in CI and is skipped elsewhere.
/// </summary>
internal sealed class Chromium(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    private const string Executable = "/usr/bin/chromium";

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(Executable))
        {
            const string Why = $"{Executable} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(Why);
            }

            Assert.Skip(Why);
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new Chromium(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = height } });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
