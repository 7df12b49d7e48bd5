using Microsoft.Playwright;
using Ragtune.Cli.Tests.Http;

namespace Ragtune.Cli.Tests.Browser;

/// <summary>
/// <c>ragtune serve</c> over the sample documents and one headless Chromium, shared by the browser tests of one class.
/// Each test opens its own browser context (its own storage), so none sees another's page state.
/// </summary>
public sealed class ChatPageFixture : IAsyncLifetime
{
    private readonly SamplesServerFixture _server = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The chat page's address: the server's root.</summary>
    public Uri PageUri => Server.Client.BaseAddress!;

    public RunningServer Server => _server.Server;

    /// <summary>Where the screenshots of the page are saved (the test results folder, a CI artifact).</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(Testing.SharedData.RepositoryRoot, "TestResults", "browser");

    public async Task InitializeAsync()
    {
        // Both start together: the model loads and the documents are ingested while the browser is installed.
        var browser = Task.Run(async () =>
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await DebianChromium.LaunchAsync(_playwright);
        });
        await Task.WhenAll(_server.InitializeAsync(), browser);
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    /// <summary>A fresh page of the given viewport at the chat page, with <paramref name="initScript"/> run before the page's own.</summary>
    public async Task<IPage> OpenAsync(int width, int height, string? initScript = null)
    {
        var context = await (_browser ?? throw new InvalidOperationException("The browser has not started.")).NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        if (initScript is not null)
        {
            await page.AddInitScriptAsync(initScript);
        }

        await page.GotoAsync(PageUri.ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _server.DisposeAsync();
    }
}
