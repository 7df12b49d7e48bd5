using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ragtune.Cli.Tests.Browser;

/// <summary>
/// The chat page at <c>/</c> of <c>ragtune serve</c>, in Debian's Chromium driven by Playwright: what a newcomer does
/// with it, on a wide screen and on a phone. Few tests, since every question goes through the embedding model.
/// </summary>
public sealed partial class ChatPageBrowserTests(ChatPageFixture fixture, ITestOutputHelper output) : IClassFixture<ChatPageFixture>
{
    /// <summary>
    /// Records, in order, each time an answer's text is rendered (<c>text</c>) and each time an answer is complete
    /// (<c>done</c>: its <c>aria-busy</c> leaves <c>true</c>), so a test can tell a streamed answer from one shown whole.
    /// </summary>
    private const string AnswerLog = """
        window.answerLog = [];
        new MutationObserver((records) => {
          for (const record of records) {
            const target = record.target;
            if (!(target instanceof Element) || !target.classList.contains('answer-text')) continue;
            if (record.type === 'childList' && target.textContent) window.answerLog.push('text');
            if (record.type === 'attributes' && record.oldValue === 'true' && target.getAttribute('aria-busy') === 'false') window.answerLog.push('done');
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeOldValue: true, attributeFilter: ['aria-busy'] });
        """;

    static ChatPageBrowserTests() => SetDefaultExpectTimeout(60_000);

    [Fact]
    public async Task AskReadTheSourcesRateAndExport_TheDatasetCountsFollowTheVotes()
    {
        var page = await fixture.OpenAsync(1280, 900, AnswerLog);
        await Expect(page.Locator("#documents")).ToContainTextAsync("warranty.md");
        await Expect(page.Locator("#health")).ToContainTextAsync("Connected to this server");
        var (sft, dpo) = (page.Locator("#ready-sft"), page.Locator("#ready-dpo"));
        await Expect(sft).ToHaveTextAsync(Number());
        var (sftBefore, dpoBefore) = (await CountAsync(sft), await CountAsync(dpo));

        await page.GetByLabel("Question", new() { Exact = true }).FillAsync("What is the capital of France?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
        var offTopic = page.Locator("li.answer").First;
        await Expect(offTopic.Locator(".not-grounded")).ToBeVisibleAsync();
        await Expect(offTopic.Locator(".not-grounded")).ToContainTextAsync("Not in the documents");
        await Expect(offTopic.Locator(".citation")).ToHaveCountAsync(0);

        // A new conversation sends no history: the next question is not read as a follow-up of this one.
        await page.GetByRole(AriaRole.Button, new() { Name = "New conversation" }).ClickAsync();
        await Expect(page.Locator("li.answer")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => { window.answerLog = []; }");

        var asked = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/ask", StringComparison.Ordinal));
        await page.GetByLabel("Question", new() { Exact = true }).FillAsync("How long is the battery warranty?");
        await page.Keyboard.PressAsync("Enter");
        var response = await asked;

        var answer = page.Locator("li.answer").First;
        await Expect(answer.Locator(".answer-text")).ToHaveAttributeAsync("aria-busy", "false");
        Assert.StartsWith("text/event-stream", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        Assert.Contains("event: delta", await response.TextAsync(), StringComparison.Ordinal);
        var log = await page.EvaluateAsync<string[]>("() => window.answerLog");
        Assert.True(log.TakeWhile(e => e != "done").Count(e => e == "text") >= 2, $"The answer was not shown as it streamed: {string.Join(", ", log)}");
        await Expect(answer.Locator(".answer-text")).ToContainTextAsync("2 years");
        await Expect(answer.Locator(".not-grounded")).ToBeHiddenAsync();

        var marker = answer.Locator(".answer-text a.ref").First;
        var card = page.Locator("#" + (await marker.GetAttributeAsync("href"))![1..]);
        await Expect(card).ToContainTextAsync("warranty.md");
        await Expect(card.Locator(".meta")).ToHaveTextAsync(PageAndSimilarity());
        await Expect(card.Locator(".section")).ToContainTextAsync("Tidewater Cycles Warranty");
        await Expect(card.Locator("blockquote")).ToContainTextAsync("Battery");
        await marker.ClickAsync();
        await Expect(card).ToBeFocusedAsync();

        var helpful = answer.GetByRole(AriaRole.Button, new() { Name = "Helpful", Exact = true });
        var notHelpful = answer.GetByRole(AriaRole.Button, new() { Name = "Not helpful", Exact = true });
        var voteStatus = answer.Locator(".vote-status");
        await helpful.ClickAsync();
        await Expect(voteStatus).ToContainTextAsync("Recorded: helpful");
        await Expect(helpful).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(sft).ToHaveTextAsync(Text(sftBefore + 1));

        await notHelpful.ClickAsync();
        await Expect(voteStatus).ToContainTextAsync("Recorded: not helpful");
        await answer.GetByLabel("Better answer").FillAsync("The battery is covered for 2 years or 500 full charge cycles, whichever comes first [1].");
        await answer.GetByLabel("Comment").FillAsync("Mention the charge cycles.");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Send rating" }).ClickAsync();
        await Expect(voteStatus).ToContainTextAsync("Recorded: not helpful, with your better answer and your comment");
        await Expect(notHelpful).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(helpful).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(dpo).ToHaveTextAsync(Text(dpoBefore + 1));
        await Expect(sft).ToHaveTextAsync(Text(sftBefore + 1));

        await page.GetByRole(AriaRole.Button, new() { Name = "Export now" }).ClickAsync();
        await Expect(page.Locator("#export-status")).ToContainTextAsync("Exported");
        var manifestLink = page.Locator("#last-export").GetByRole(AriaRole.Link, new() { Name = "manifest.json" });
        await Expect(manifestLink).ToBeVisibleAsync();
        var manifest = await page.APIRequest.GetAsync(await manifestLink.EvaluateAsync<string>("a => a.href"));
        Assert.Equal(200, manifest.Status);
        await Expect(page.Locator("#fine-tuning")).ToContainTextAsync("When should you fine-tune?");
        await Expect(page.Locator("#active-model")).ToContainTextAsync("Answering now: extractive");
        await Expect(page.Locator("#fine-tuning")).ToContainTextAsync("Grounded answers rated down in the last 30 days");

        await SaveScreenshotAsync(page, "chat.png");
    }

    [Fact]
    public async Task OnAPhoneWidthScreen_TheKeyboardAloneAsksAndRates_AndAxeFindsNoWcagViolation()
    {
        var page = await fixture.OpenAsync(390, 844);
        await Expect(page.Locator("#documents")).ToContainTextAsync("battery-care.docx");
        Assert.Empty(await WiderThanTheScreenAsync(page));

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to the question" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var question = page.GetByLabel("Question", new() { Exact = true });
        await Expect(question).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("How should I store the battery in winter?");
        await page.Keyboard.PressAsync("Enter");
        var answer = page.Locator("li.answer").First;
        await Expect(answer.Locator(".feedback")).ToBeVisibleAsync();
        await Expect(question).ToBeFocusedAsync();

        // Back from the question box to the answer's rating buttons, then vote with the space bar.
        var helpful = answer.GetByRole(AriaRole.Button, new() { Name = "Helpful", Exact = true });
        for (var presses = 0; presses < 10 && !await helpful.EvaluateAsync<bool>("b => b === document.activeElement"); presses++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
        }

        await Expect(helpful).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(answer.Locator(".vote-status")).ToContainTextAsync("Recorded: helpful");
        Assert.Empty(await WiderThanTheScreenAsync(page));

        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
        await SaveScreenshotAsync(page, "chat-phone.png");
    }

    [Fact]
    public async Task AgainstAFunctionApp_EveryCallCarriesTheKey_AndTheDatasetPanelSaysItIsServeOnly()
    {
        // The Azure Functions app, played by the browser's request routing: the machines here have no Azure.
        const string FunctionApp = "https://ragtune-func.example";
        var calls = new ConcurrentQueue<(string Path, string? Key)>();
        var page = await fixture.OpenAsync(1280, 900);
        await page.RouteAsync(FunctionApp + "/api/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            calls.Enqueue((path, (await route.Request.AllHeadersAsync()).GetValueOrDefault("x-functions-key")));
            var (status, body) = path switch
            {
                "/api/health" => (200, """{"status":"healthy","embeddingModel":"text-embedding-3-small","index":"Azure AI Search","chatModel":"gpt-4o-mini"}"""),
                "/api/documents" => (200, """
                    {"documents":[
                      {"documentId":"a1","source":"handbook/benefits.pdf","contentHash":"00","chunks":12,"status":"indexed","indexedAt":"2026-11-27T03:00:00Z","groups":[]},
                      {"documentId":"b2","source":"handbook/scan.pdf","contentHash":"11","chunks":0,"status":"failed","error":"The PDF has no text layer.","indexedAt":"2026-11-27T03:00:00Z","groups":[]}]}
                    """),
                _ => (404, """{"type":"urn:ragtune:problem:not-found","title":"Not found.","status":404,"detail":"There is no endpoint at this path.","code":"not-found"}"""),
            };
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = status,
                ContentType = status == 200 ? "application/json" : "application/problem+json",
                Body = body,
                Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
            });
        });

        await page.GetByText("Server", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("API base URL").FillAsync(FunctionApp);
        await page.GetByLabel("Function key").FillAsync("the-function-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and reconnect" }).ClickAsync();

        await Expect(page.Locator("#health")).ToContainTextAsync($"Connected to {FunctionApp} · embeddings text-embedding-3-small · chat gpt-4o-mini");
        await Expect(page.Locator("#documents")).ToContainTextAsync("2 documents: 1 indexed, 1 failed.");
        await Expect(page.Locator("#documents")).ToContainTextAsync("The PDF has no text layer.");
        await Expect(page.Locator("#datasets")).ToContainTextAsync("This server has no dataset endpoints");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Export now" })).ToBeHiddenAsync();
        Assert.Equal(["/api/datasets", "/api/documents", "/api/health"], calls.Select(c => c.Path).Distinct().Order(StringComparer.Ordinal));
        Assert.All(calls, c => Assert.Equal("the-function-key", c.Key));

        // The settings are kept in the browser: a reload talks to the function app again.
        await page.ReloadAsync();
        await Expect(page.Locator("#health")).ToContainTextAsync($"Connected to {FunctionApp}");
    }

    [Fact]
    public async Task AgainstAServerThatChecksSignIn_EveryCallCarriesTheToken_AndARefusalShowsWhy()
    {
        // A server with Ragtune:Auth:RequireAuthenticatedCaller, played by the browser's request routing.
        const string Server = "https://ragtune-signin.example";
        const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
        var calls = new ConcurrentQueue<(string Path, string? Authorization)>();
        var page = await fixture.OpenAsync(1280, 900);
        await page.RouteAsync(Server + "/api/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            var authorization = (await route.Request.AllHeadersAsync()).GetValueOrDefault("authorization");
            calls.Enqueue((path, authorization));
            var signedIn = authorization == $"Bearer {Token}";
            var (status, body) = (path, signedIn) switch
            {
                ("/api/health", _) => (200, """{"status":"healthy","embeddingModel":"text-embedding-3-small","index":"Azure AI Search","chatModel":"gpt-4o-mini"}"""),
                ("/api/documents", true) => (200, """{"documents":[{"documentId":"a1","source":"handbook/benefits.pdf","contentHash":"00","chunks":12,"status":"indexed","indexedAt":"2026-11-27T03:00:00Z","groups":["hr"]}]}"""),
                (_, false) => (401, """{"type":"urn:ragtune:problem:authentication-required","title":"Sign-in is required.","status":401,"detail":"Send an access token of the configured identity provider as Authorization: Bearer.","code":"authentication-required"}"""),
                _ => (404, """{"type":"urn:ragtune:problem:not-found","title":"Not found.","status":404,"detail":"There is no endpoint at this path.","code":"not-found"}"""),
            };
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = status,
                ContentType = status == 200 ? "application/json" : "application/problem+json",
                Body = body,
                Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*", ["Access-Control-Allow-Headers"] = "authorization, content-type" },
            });
        });

        await page.GetByText("Server", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("API base URL").FillAsync(Server);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and reconnect" }).ClickAsync();
        await Expect(page.Locator("#documents")).ToContainTextAsync("Send an access token");

        await page.GetByLabel("Access token").FillAsync($"Bearer {Token}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and reconnect" }).ClickAsync();

        await Expect(page.Locator("#documents")).ToContainTextAsync("handbook/benefits.pdf");
        Assert.Contains(calls, c => c.Path == "/api/documents" && c.Authorization == $"Bearer {Token}");
        Assert.Equal(Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('ragtune.chat.token')"));
        Assert.DoesNotContain(Token, await page.EvaluateAsync<string>("() => JSON.stringify(localStorage)"), StringComparison.Ordinal);
    }

    private async Task SaveScreenshotAsync(IPage page, string fileName)
    {
        var path = Path.Combine(ChatPageFixture.ArtifactsDirectory, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>The visible elements that reach past the right edge of the viewport (the page would scroll sideways).</summary>
    private static Task<string[]> WiderThanTheScreenAsync(IPage page) => page.EvaluateAsync<string[]>("""
        () => [...document.querySelectorAll('body *')]
          .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`)
        """);

    private static async Task<int> CountAsync(ILocator locator) =>
        int.Parse(await locator.TextContentAsync() ?? string.Empty, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^page \d+ · similarity 0\.\d\d$")]
    private static partial Regex PageAndSimilarity();
}
