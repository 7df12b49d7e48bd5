using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Testing.Loopback;

namespace Ragtune.Cli.Tests.Serve;

/// <summary>
/// <c>POST /api/ask</c> of the real <c>ragtune serve</c> over HTTP, answered by an OpenAI-compatible chat service over
/// HTTP: the model's text and usage come through, and its failures become the documented status codes.
/// </summary>
public sealed class ServeWithChatProviderTests(ServeWithChatProviderFixture serve) : IClassFixture<ServeWithChatProviderFixture>, IDisposable
{
    private const string Question = "How long is the battery warranty?";

    public void Dispose() => serve.ChatService.Reset();

    [Fact]
    public async Task Ask_Json_AnswersWithTheModelsTextAndUsage()
    {
        serve.ChatService.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years or ", "500 cycles [1]."], promptTokens: 777, completionTokens: 33));

        using var response = await AskAsync(streaming: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Two years or 500 cycles [1].", body.GetProperty("answer").GetString());
        Assert.True(body.GetProperty("grounded").GetBoolean());
        Assert.Equal(ServeWithChatProviderFixture.Model, body.GetProperty("model").GetString());
        Assert.Equal(777, body.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.Equal(33, body.GetProperty("usage").GetProperty("outputTokens").GetInt32());
        Assert.Equal(ServeWithChatProviderFixture.Document, body.GetProperty("citations")[0].GetProperty("source").GetString());

        var request = Assert.Single(serve.ChatService.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        var user = request.Json.GetProperty("messages")[1].GetProperty("content").GetString();
        Assert.Contains("500 full charge cycles", user, StringComparison.Ordinal);
        Assert.Contains(Question, user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_EventStream_StreamsCitationsThenTheModelsDeltasThenDone()
    {
        serve.ChatService.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years or ", "500 cycles [1]."], promptTokens: 777, completionTokens: 33));

        using var response = await AskAsync(streaming: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = ServerSentEvents.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["citations", "delta", "delta", "done"], events.Select(e => e.Name));
        Assert.Equal(["Two years or ", "500 cycles [1]."], events.Where(e => e.Name == "delta").Select(e => e.Data.GetProperty("text").GetString()));
        var done = events[^1].Data;
        Assert.Equal("Two years or 500 cycles [1].", done.GetProperty("answer").GetString());
        Assert.Equal(777, done.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        Assert.Equal(33, done.GetProperty("usage").GetProperty("outputTokens").GetInt32());
    }

    /// <summary>The chat service's failure before its first token, as JSON and as an event stream: status, code, Retry-After.</summary>
    [Theory]
    [InlineData("throttled 30 s", false, 429, "dependency-throttled", 30)]
    [InlineData("throttled 30 s", true, 429, "dependency-throttled", 30)]
    [InlineData("never answering", false, 504, "dependency-timeout", null)]
    [InlineData("never answering", true, 504, "dependency-timeout", null)]
    [InlineData("dropping the connection", false, 503, "dependency-unavailable", 10)]
    [InlineData("dropping the connection", true, 503, "dependency-unavailable", 10)]
    public async Task Ask_ChatServiceFailing_AnswersProblemDetailsWithItsStatus(string chatService, bool streaming, int status, string code, int? retryAfterSeconds)
    {
        serve.ChatService.Respond(_ => chatService switch
        {
            "throttled 30 s" => OpenAIResponses.Throttled(TimeSpan.FromSeconds(30)),
            "never answering" => LoopbackResponse.Hang(),
            _ => LoopbackResponse.DropConnection(),
        });

        using var response = await AskAsync(streaming);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(retryAfterSeconds, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("Exception", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_EventStream_ChatServiceBreakingOffMidAnswer_EndsWithAnErrorEvent()
    {
        serve.ChatService.Enqueue(OpenAIResponses.PartialChatCompletionStream(["Two years or "]).ThenDropConnection());

        using var response = await AskAsync(streaming: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = ServerSentEvents.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["citations", "delta", "error"], events.Select(e => e.Name));
        Assert.Equal("Two years or ", events[1].Data.GetProperty("text").GetString());
        Assert.Equal("dependency-unavailable", events[2].Data.GetProperty("code").GetString());
        Assert.Equal(503, events[2].Data.GetProperty("status").GetInt32());
    }

    private async Task<HttpResponseMessage> AskAsync(bool streaming)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = Question }) };
        if (streaming)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return await serve.Client.SendAsync(request);
    }
}

/// <summary>One server-sent event of Ragtune's answer stream: its name and its JSON data.</summary>
internal sealed record ServerSentEvents(string Name, JsonElement Data)
{
    public static List<ServerSentEvents> Parse(string text) =>
    [
        .. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            return new ServerSentEvents(name, JsonDocument.Parse(data).RootElement.Clone());
        }),
    ];
}
