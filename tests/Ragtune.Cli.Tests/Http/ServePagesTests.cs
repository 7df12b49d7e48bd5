using System.Net;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// What <c>ragtune serve</c> serves beside the API, over the sample documents: the chat page and the OpenAPI document.
/// Nothing here rates or exports, so the tests share one server.
/// </summary>
public sealed class ServePagesTests(SamplesServerFixture fixture) : IClassFixture<SamplesServerFixture>
{
    [Fact]
    public async Task ChatPage_IsServedAtTheRoot_WithEverythingItLoadsFromThisOrigin()
    {
        using var page = await fixture.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        foreach (var (path, type) in new[] { ("/chat.js", "text/javascript"), ("/chat.css", "text/css"), ("/icon.svg", "image/svg+xml") })
        {
            Assert.Contains($"\"{path[1..]}\"", html, StringComparison.Ordinal);
            using var asset = await fixture.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task OpenApi_DescribesTheDatasetEndpoints()
    {
        var paths = (await fixture.Client.GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/api/datasets").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/datasets/export").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/datasets/latest/manifest.json").TryGetProperty("get", out _));
    }
}
