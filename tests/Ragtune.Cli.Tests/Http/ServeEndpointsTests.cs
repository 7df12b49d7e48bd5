using System.Net;
using System.Security.Cryptography;
using Ragtune.Cli.Tests.Contract;

namespace Ragtune.Cli.Tests.Http;

/// <summary>GET /api/documents, GET /api/health, the OpenAPI document and CORS of <c>ragtune serve</c>.</summary>
[Collection(ServeCollection.Name)]
public sealed class ServeEndpointsTests(ServeFixture fixture)
{
    [Fact]
    public async Task Documents_ListsEveryIngestedFileWithItsHashAndChunks()
    {
        var body = await fixture.Client.GetJsonAsync("/api/documents");

        var documents = ApiShapes.AssertDocuments(body);
        var files = Directory.EnumerateFiles(fixture.Documents).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files.Select(Path.GetFileName), documents.Select(d => d.GetProperty("source").GetString()).Order(StringComparer.Ordinal));
        foreach (var document in documents)
        {
            var file = Path.Combine(fixture.Documents, document.GetProperty("source").GetString()!);
            Assert.Equal("indexed", document.GetProperty("status").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), document.GetProperty("contentHash").GetString());
            Assert.Empty(document.GetProperty("groups").EnumerateArray());
        }
    }

    [Fact]
    public async Task Health_NamesTheProviders()
    {
        var health = await fixture.Client.GetJsonAsync("/api/health");

        ApiShapes.HasExactly(health, ["status", "embeddingModel", "index", "chatModel"]);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("all-MiniLM-L6-v2", health.GetProperty("embeddingModel").GetString());
        Assert.Equal("extractive", health.GetProperty("chatModel").GetString());
        Assert.False(string.IsNullOrWhiteSpace(health.GetProperty("index").GetString()));
    }

    [Fact]
    public async Task OpenApi_DescribesTheEndpoints()
    {
        var openApi = await fixture.Client.GetJsonAsync("/openapi/v1.json");

        var paths = openApi.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/ask").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/documents").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/health").TryGetProperty("get", out _));
    }

    /// <summary>The responses come from the handlers' typed results (Ragtune.Http), not from hand-kept lists.</summary>
    [Theory]
    [InlineData("/api/ask", "post", "200", "application/json,text/event-stream")]
    [InlineData("/api/ask", "post", "400,413,429,503,504", "application/problem+json")]
    [InlineData("/api/feedback", "post", "202", "")]
    [InlineData("/api/feedback", "post", "400,404,413,429,503,504", "application/problem+json")]
    [InlineData("/api/documents", "get", "200", "application/json")]
    [InlineData("/api/health", "get", "200,503", "application/json")]
    [InlineData("/api/datasets/export", "post", "409,415,429,503,504", "application/problem+json")]
    [InlineData("/api/datasets/latest/manifest.json", "get", "404", "application/problem+json")]
    public async Task OpenApi_DeclaresEachEndpointsResponses(string path, string method, string statuses, string mediaTypes)
    {
        var responses = (await fixture.Client.GetJsonAsync("/openapi/v1.json")).GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        foreach (var status in statuses.Split(','))
        {
            IEnumerable<string> declared = responses.GetProperty(status).TryGetProperty("content", out var content)
                ? content.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal)
                : [];
            Assert.Equal(mediaTypes, string.Join(",", declared));
        }
    }

    [Fact]
    public async Task CorsPreflight_FromTheConfiguredOrigin_IsAllowed()
    {
        using var response = await PreflightAsync(ServeFixture.AllowedOrigin);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal([ServeFixture.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.Contains("content-type", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CorsPreflight_OfTheOpenAILibraryInABrowser_AllowsItsHeaders()
    {
        const string Headers = "authorization,content-type,x-stainless-arch,x-stainless-lang,x-stainless-os,x-stainless-package-version,x-stainless-retry-count,x-stainless-runtime,x-stainless-runtime-version,x-stainless-timeout";

        using var response = await PreflightAsync(ServeFixture.AllowedOrigin, "/api/v1/chat/completions", Headers);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal([ServeFixture.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).Split(',').Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
        Assert.All(Headers.Split(','), h => Assert.Contains(h, allowed));
    }

    [Fact]
    public async Task CorsPreflight_FromAnotherOrigin_IsNotAllowed()
    {
        using var response = await PreflightAsync("https://elsewhere.example");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task CorsRequest_FromTheConfiguredOrigin_MayReadTheAnswer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Add("Origin", ServeFixture.AllowedOrigin);

        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ServeFixture.AllowedOrigin], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin, string path = "/api/ask", string headers = "content-type")
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await fixture.Client.SendAsync(request);
    }
}
