using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Testing.Loopback;

namespace Ragtune.Cli.Tests.Serve;

/// <summary>
/// <c>ragtune serve</c> with a retry budget (2 retries, waits of at most 2 s, 2 s per try) against a chat service that
/// throttles, fails, stalls, drops connections and answers what is not JSON: within the budget the answer comes
/// through; past it the caller gets 429 / 503 / 504 Problem Details with Retry-After where waiting helps, after exactly
/// the budgeted tries; the server answers the next request as if nothing happened.
/// </summary>
public sealed class ChatFaultTests : IAsyncLifetime
{
    private const string Question = "How long is the battery warranty?";

    private ServeOverLoopbackChat _serve = null!;

    public async Task InitializeAsync() =>
        _serve = await ServeOverLoopbackChat.StartAsync(
            ("battery-warranty.md", "# Battery warranty\n\nThe battery is covered by the warranty for two years or 500 full charge cycles.\n"),
            null,
            "--Ragtune:Chat:Timeout=00:00:03",
            "--Ragtune:Chat:MaxRetries=2",
            "--Ragtune:Chat:MaxRetryDelay=00:00:02",
            "--Ragtune:Documents:Watch=false");

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    public static TheoryData<string, bool, int, string, int?, int> Storms() => new()
    {
        { "429 storm", false, 429, "dependency-throttled", 1, 3 },
        { "429 storm", true, 429, "dependency-throttled", 1, 3 },
        { "500 storm", false, 503, "dependency-unavailable", 10, 3 },
        { "500 storm", true, 503, "dependency-unavailable", 10, 3 },
        { "dropped connections", false, 503, "dependency-unavailable", 10, 3 },
        { "dropped connections", true, 503, "dependency-unavailable", 10, 3 },
        { "slower than the timeout", false, 504, "dependency-timeout", null, 3 },
        { "not JSON", false, 503, "dependency-unavailable", 10, 1 },
    };

    [Theory]
    [MemberData(nameof(Storms))]
    public async Task Storm_PastTheRetryBudget_AnswersProblemDetailsAfterTheBudgetedTries_AndTheServerRecovers(
        string storm, bool streaming, int status, string code, int? retryAfter, int tries)
    {
        _serve.Chat.Respond(_ => storm switch
        {
            "429 storm" => OpenAIResponses.Throttled(TimeSpan.FromSeconds(1)),
            "500 storm" => OpenAIResponses.Error(500, "server_error", "The server had an error."),
            "dropped connections" => LoopbackResponse.DropConnection(),
            "not JSON" => LoopbackResponse.EventStream(["<html>502 Bad Gateway</html>"]),
            _ => OpenAIResponses.ChatCompletionStream(["Too late."], 10, 2) with { Delay = TimeSpan.FromSeconds(5) },
        });

        using (var response = await AskAsync(streaming))
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(retryAfter, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.DoesNotContain("Exception", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(tries, _serve.Chat.Requests.Count);

        _serve.Chat.Reset();
        _serve.Chat.Respond(_ => OpenAIResponses.ChatCompletionStream(["Two years [1]."], 10, 4));
        using var recovered = await AskAsync(streaming);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Contains("Two years [1].", await recovered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Faults_WithinTheRetryBudget_AreRetriedAndTheAnswerComesThrough(bool streaming)
    {
        _serve.Chat.Enqueue(
            OpenAIResponses.Throttled(TimeSpan.FromSeconds(1)),
            LoopbackResponse.DropConnection(),
            OpenAIResponses.ChatCompletionStream(["Two years ", "[1]."], 10, 4) with { Delay = TimeSpan.FromMilliseconds(500) });

        using var response = await AskAsync(streaming);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Two years ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, _serve.Chat.Requests.Count);
    }

    private async Task<HttpResponseMessage> AskAsync(bool streaming)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = Question }) };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(streaming ? "text/event-stream" : "application/json"));
        return await _serve.Client.SendAsync(message);
    }
}
