using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using OpenAI;
using Ragtune.Core;
using Ragtune.Core.Answering;
using Ragtune.Functions.Http;
using Ragtune.Testing;

namespace Ragtune.Functions.Tests;

/// <summary>
/// The front-end functions with ASP.NET Core requests, as the worker runs them: the OpenAI .NET client (as
/// Microsoft.Extensions.AI's <see cref="IChatClient"/>) over a transport that hands each request to the function its
/// route names, and the AI SDK's UI message stream as written. The index is empty, so answers are not grounded and no
/// chat model is called (the chat client is strict).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FrontEndFunctionsTests(Azurite azurite) : IDisposable
{
    private const string Question = "When does the office open?";

    private readonly TestApp _app = new(azurite);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ChatCompletions_ThroughTheOpenAIChatClient_AnswersNotGroundedUnderTheAnswerId()
    {
        using var chat = ChatClient().GetChatClient("anything").AsIChatClient();

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, Question)]);

        Assert.Equal(new AnswerOptions().NotGroundedAnswer, response.Text);
        Assert.Equal("gpt-4o-mini", response.ModelId);
        Assert.True(Ulid.IsValid(response.ResponseId), response.ResponseId);
        Assert.NotNull(await _app.Interactions.FindAsync(response.ResponseId!));
    }

    [Fact]
    public async Task ChatCompletions_StreamedThroughTheOpenAIChatClient_AnswersUnderOneResponseId()
    {
        using var chat = ChatClient().GetChatClient("anything").AsIChatClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Question)]))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(Ulid.IsValid(response.ResponseId), response.ResponseId);
        Assert.All(updates, u => Assert.Equal(response.ResponseId, u.ResponseId));
    }

    [Fact]
    public async Task ChatCompletions_WithTools_IsAnOpenAIError400NamingTools()
    {
        var response = await RunAsync("POST", "/api/v1/chat/completions", $$$"""{"model":"x","messages":[{"role":"user","content":"{{{Question}}}"}],"tools":[{"type":"function","function":{"name":"f"}}]}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/json", response.MediaType);
        var error = response.Json.GetProperty("error");
        Assert.Equal("tools", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("unsupported-parameter", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Models_ThroughTheOpenAIClient_ListsTheChatModel()
    {
        var models = await ChatClient().GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["gpt-4o-mini"], models.Value.Select(m => m.Id));
    }

    [Fact]
    public async Task Chat_AnswersTheAISdksUIMessageStream_DataOnlyEndingWithDone()
    {
        var response = await RunAsync("POST", "/api/chat", $$$"""{"id":"c1","messages":[{"id":"m1","role":"user","parts":[{"type":"text","text":"{{{Question}}}"}]}],"trigger":"submit-message"}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/event-stream", response.MediaType);
        Assert.Equal("v1", response.Headers["x-vercel-ai-ui-message-stream"]);
        var data = response.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => Assert.Single(e.Split('\n'))).ToList();
        Assert.All(data, line => Assert.StartsWith("data: ", line, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", data[^1]);
        var parts = data[..^1].Select(line => JsonDocument.Parse(line[6..]).RootElement).ToList();
        Assert.Equal(["start", "text-start", "text-delta", "text-end", "finish"], parts.Select(p => p.GetProperty("type").GetString()));
        var answerId = parts[0].GetProperty("messageId").GetString()!;
        Assert.True(Ulid.IsValid(answerId), answerId);
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, parts[2].GetProperty("delta").GetString());
        Assert.Equal(answerId, parts[4].GetProperty("messageMetadata").GetProperty("answerId").GetString());
        Assert.False(parts[4].GetProperty("messageMetadata").GetProperty("grounded").GetBoolean());
    }

    [Fact]
    public async Task Chat_WithoutAQuestion_IsProblemDetailsNamingTheMessages()
    {
        var response = await RunAsync("POST", "/api/chat", """{"id":"c1","messages":[]}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("messages", out _));
    }

    private OpenAIClient ChatClient() =>
        new(new ApiKeyCredential("not-a-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://functions.test/api/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(new FunctionsHandler(this))),
        });

    /// <summary>Builds the ASP.NET Core request, calls the function the route names, and executes its result.</summary>
    private async Task<FunctionResponse> RunAsync(string method, string pathAndQuery, string? body, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = method;
        request.Path = pathAndQuery.Split('?')[0];
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = "application/json";
        }

        context.Response.Body = new MemoryStream();
        var functions = _app.Get<FrontEndFunctions>();
        var result = (method, request.Path.Value) switch
        {
            ("POST", "/api/v1/chat/completions") => await functions.ChatCompletionsAsync(request, CancellationToken.None),
            ("GET", "/api/v1/models") => await functions.ModelsAsync(request, CancellationToken.None),
            ("POST", "/api/chat") => await functions.ChatAsync(request, CancellationToken.None),
            _ => throw new InvalidOperationException($"No function has the route {method} {request.Path}."),
        };
        var written = await WrittenResponse.ExecuteAsync(request, result, _app.Services);
        return new FunctionResponse(written, context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
    }

    private sealed record FunctionResponse(WrittenResponse Written, IReadOnlyDictionary<string, string> Headers)
    {
        public int StatusCode => Written.StatusCode;

        public string? MediaType => Written.MediaType;

        public string Body => Written.Body;

        public JsonElement Json => Written.Json;
    }

    /// <summary>Hands each request of an <see cref="HttpClient"/> to the function its route names, as the Functions host would.</summary>
    private sealed class FunctionsHandler(FrontEndFunctionsTests tests) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(',', h.Value)));
            var written = await tests.RunAsync(request.Method.Method, request.RequestUri!.PathAndQuery, body, headers);
            var response = new HttpResponseMessage((System.Net.HttpStatusCode)written.StatusCode) { Content = new StringContent(written.Body, Encoding.UTF8) };
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(written.Written.ContentType ?? "application/octet-stream");
            return response;
        }
    }
}
