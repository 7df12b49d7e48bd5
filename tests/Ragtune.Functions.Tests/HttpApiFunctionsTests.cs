using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Ragtune.Core.Index;
using Ragtune.Functions.Http;
using Ragtune.Http.Auth;
using Ragtune.Testing;

namespace Ragtune.Functions.Tests;

/// <summary>The HTTP functions with ASP.NET Core requests: the same bodies, statuses and Problem Details as <c>ragtune serve</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HttpApiFunctionsTests(Azurite azurite) : IDisposable
{
    private readonly TestApp _app = new(azurite);

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("{not json", 400, "malformed-json")]
    [InlineData("""{"answerId":"x","rating":"sideways"}""", 400, "invalid-request")]
    [InlineData("""{"answerId":"01KBZ0000000000000000000AA","rating":"up"}""", 404, "not-found")]
    public async Task Feedback_BadOrUnknown_IsAProblem(string body, int status, string code)
    {
        var response = await RunAsync(Request("POST", body), (f, r) => f.FeedbackAsync(r, CancellationToken.None));

        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(code, response.Json.GetProperty("code").GetString());
        Assert.Equal($"urn:ragtune:problem:{code}", response.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Ask_WithoutQuestion_Is400WithTheFieldError()
    {
        var response = await RunAsync(Request("POST", """{"top": 5}"""), (f, r) => f.AskAsync(r, CancellationToken.None));

        Assert.Equal(400, response.StatusCode);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("question", out _));
    }

    [Fact]
    public async Task Ask_AsAStream_SendsCitationsThenDoneWithTheJsonAnswersFields()
    {
        var request = Request("POST", """{"question": "What is the capital of France?"}""");
        request.Headers.Accept = "text/event-stream";

        var response = await RunAsync(request, (f, r) => f.AskAsync(r, CancellationToken.None));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/event-stream", response.MediaType);
        var events = response.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n'))
            .Select(lines => (Name: lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..], Data: lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..]))
            .ToList();
        Assert.Equal("citations", events[0].Name);
        Assert.Equal("done", events[^1].Name);
        using var done = JsonDocument.Parse(events[^1].Data);
        Assert.False(done.RootElement.GetProperty("grounded").GetBoolean());
        Assert.False(string.IsNullOrEmpty(done.RootElement.GetProperty("answerId").GetString()));
        Assert.Equal(0, done.RootElement.GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task Ask_OverTheBodyLimit_Is413()
    {
        var response = await RunAsync(Request("POST", new string(' ', (256 * 1024) + 10)), (f, r) => f.AskAsync(r, CancellationToken.None));

        Assert.Equal(413, response.StatusCode);
        Assert.Equal("body-too-large", response.Json.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Documents_BehindAppServiceAuthentication_ShowsOnlyWhatTheCallersGroupsMayRead()
    {
        using var app = new TestApp(azurite, settings: new Dictionary<string, string?>
        {
            ["Ragtune:Auth:TrustClientPrincipalHeader"] = "true",
            ["WEBSITE_AUTH_ENABLED"] = "True",
        });
        var now = DateTimeOffset.UtcNow;
        await app.Catalog.SaveAsync(new DocumentRecord(DocumentIds.ForSource("public.md"), "public.md", "h1", DocumentStatus.Indexed, 1, now, [], null));
        await app.Catalog.SaveAsync(new DocumentRecord(DocumentIds.ForSource("hr.md"), "hr.md", "h2", DocumentStatus.Indexed, 1, now, ["hr"], null));
        await app.Catalog.SaveAsync(new DocumentRecord(DocumentIds.ForSource("board.md"), "board.md", "h3", DocumentStatus.Indexed, 1, now, ["board"], null));
        var request = Request("GET");
        request.Headers[ClientPrincipal.HeaderName] = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"groups","val":"hr"}]}"""));

        var caller = await RunAsync(app, request, (f, r) => f.DocumentsAsync(r, CancellationToken.None));
        var anonymous = await RunAsync(app, Request("GET"), (f, r) => f.DocumentsAsync(r, CancellationToken.None));

        Assert.Equal(200, caller.StatusCode);
        Assert.Equal(["hr.md", "public.md"], Sources(caller.Json));
        Assert.Equal(["public.md"], Sources(anonymous.Json));
    }

    [Fact]
    public async Task Health_NamesTheProviders()
    {
        var response = await RunAsync(Request("GET"), (f, r) => f.HealthAsync(r, CancellationToken.None));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("healthy", response.Json.GetProperty("status").GetString());
        Assert.Equal("gpt-4o-mini", response.Json.GetProperty("chatModel").GetString());
        Assert.Equal("test-embeddings", response.Json.GetProperty("embeddingModel").GetString());
    }

    private static string[] Sources(JsonElement body) =>
        [.. body.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("source").GetString()!)];

    private Task<WrittenResponse> RunAsync(HttpRequest request, Func<HttpApiFunctions, HttpRequest, Task<IResult>> function) =>
        RunAsync(_app, request, function);

    private static Task<WrittenResponse> RunAsync(TestApp app, HttpRequest request, Func<HttpApiFunctions, HttpRequest, Task<IResult>> function) =>
        FunctionRequests.RunAsync(app, request, function);

    private static HttpRequest Request(string method, string? body = null) => FunctionRequests.Create(method, body);
}
