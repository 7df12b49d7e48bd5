using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Moq;
using Ragtune.Functions.Http;
using Ragtune.Testing;
using Ragtune.Testing.Fuzzing;

namespace Ragtune.Functions.Tests;

/// <summary>
/// The fuzz cases that <c>ragtune serve</c> gets over HTTP (<see cref="HttpFuzzCases"/>), each built as an ASP.NET Core
/// request and given to the function the host would route it to: no 5xx, Problem Details for errors, no internals.
/// Cases for routes or methods no function declares are answered by the Functions host itself and are not run here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HttpFuzzTests : IDisposable
{
    private static readonly IReadOnlyList<FuzzRequest> Cases = HttpFuzzCases.Generate();

    private readonly TestApp _app;

    public HttpFuzzTests(Azurite azurite)
    {
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, "office opening hours")));
        _app = new TestApp(azurite, chat.Object);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EveryFuzzCase_RoutedToItsFunction_GetsNo5xxAndNoInternals()
    {
        var functions = _app.Get<HttpApiFunctions>();
        var frontEnds = _app.Get<FrontEndFunctions>();
        var failures = new List<string>();
        var run = 0;
        foreach (var request in Cases)
        {
            if (Route(functions, frontEnds, request) is not { } function)
            {
                continue;
            }

            run++;
            var (status, mediaType, body) = await RunAsync(function, ToHttpRequest(request));
            if (HttpFuzzVerdict.Judge(request, status, mediaType, body) is { } failure)
            {
                failures.Add(failure);
            }
        }

        Assert.Empty(failures);
        Assert.True(run >= 250, $"Only {run} of {Cases.Count} cases reached a function.");
        var (healthStatus, _, _) = await RunAsync(r => functions.HealthAsync(r, CancellationToken.None), ToHttpRequest(Cases[0] with { Method = "GET", Path = HttpFuzzCases.Health, Body = null }));
        Assert.Equal(200, healthStatus);
    }

    /// <summary>The function whose trigger declares the request's route and method, as the host would route it.</summary>
    private static Func<HttpRequest, Task<IResult>>? Route(HttpApiFunctions functions, FrontEndFunctions frontEnds, FuzzRequest request)
    {
        var path = request.Path.Split('?')[0];
        return (request.Method, path) switch
        {
            ("POST", HttpFuzzCases.Ask) => r => functions.AskAsync(r, CancellationToken.None),
            ("POST", HttpFuzzCases.Feedback) => r => functions.FeedbackAsync(r, CancellationToken.None),
            ("GET", HttpFuzzCases.Documents) => r => functions.DocumentsAsync(r, CancellationToken.None),
            ("GET", HttpFuzzCases.Health) => r => functions.HealthAsync(r, CancellationToken.None),
            ("POST", HttpFuzzCases.ChatCompletions) => r => frontEnds.ChatCompletionsAsync(r, CancellationToken.None),
            ("GET", HttpFuzzCases.Models) => r => frontEnds.ModelsAsync(r, CancellationToken.None),
            ("POST", HttpFuzzCases.Chat) => r => frontEnds.ChatAsync(r, CancellationToken.None),
            _ => null,
        };
    }

    private static HttpRequest ToHttpRequest(FuzzRequest fuzz)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = fuzz.Method;
        var query = fuzz.Path.IndexOf('?', StringComparison.Ordinal);
        request.Path = query < 0 ? fuzz.Path : fuzz.Path[..query];
        if (query >= 0)
        {
            request.QueryString = new QueryString(fuzz.Path[query..]);
        }

        foreach (var (name, value) in fuzz.Headers)
        {
            request.Headers[name] = value;
        }

        if (fuzz.Body is not null)
        {
            request.Body = new MemoryStream(fuzz.Body);
            request.ContentLength = fuzz.Body.Length;
            request.ContentType = fuzz.ContentType;
        }

        context.Response.Body = new MemoryStream();
        return request;
    }

    private async Task<(int Status, string? MediaType, string Body)> RunAsync(Func<HttpRequest, Task<IResult>> function, HttpRequest request)
    {
        var response = await WrittenResponse.ExecuteAsync(request, await function(request), _app.Services);
        return (response.StatusCode, response.MediaType, response.Body);
    }
}
