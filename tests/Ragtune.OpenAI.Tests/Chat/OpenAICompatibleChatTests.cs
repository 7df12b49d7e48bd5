using Microsoft.Extensions.AI;
using Ragtune.Testing;
using Ragtune.Testing.Loopback;
using Ragtune.Core.Answering;

namespace Ragtune.OpenAI.Tests.Chat;

/// <summary>The openai-compatible provider (Ollama, LM Studio, vLLM, OpenAI) over HTTP, through Core's answerer.</summary>
public sealed class OpenAICompatibleChatTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ask_PostsToChatCompletionsUnderTheEndpointWithModelAndBearerKey()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));

        await OneChunkAnswerer.Create(Chat(apiKey: "sk-local"), TestChatProviders.Model).AskAsync(OneChunkAnswerer.Request());

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Empty(request.Query);
        Assert.Equal(TestChatProviders.Model, request.Json.GetProperty("model").GetString());

        // The SDK sends the output limit as max_completion_tokens (never the older max_tokens), here as to OpenAI.
        Assert.Equal(new AnswerOptions().MaxOutputTokens, request.Json.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(request.Json.TryGetProperty("max_tokens", out _));
        Assert.Equal("Bearer sk-local", request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
    }

    [Fact]
    public async Task Ask_WithoutApiKey_SendsNoAuthorizationHeader()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));

        await OneChunkAnswerer.Create(Chat(apiKey: null), TestChatProviders.Model).AskAsync(OneChunkAnswerer.Request());

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task Ask_StreamedAnswer_GivesTheTextAndTheServicesUsage()
    {
        var interactions = new InMemoryInteractionStore();
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two ", "years", " [1]."], promptTokens: 777, completionTokens: 33));

        var answer = await OneChunkAnswerer.Create(Chat(), TestChatProviders.Model, interactions).AskAsync(OneChunkAnswerer.Request());

        Assert.Equal("Two years [1].", answer.Answer);
        Assert.True(answer.Grounded);
        Assert.Equal(777, answer.Usage.InputTokens);
        Assert.Equal(33, answer.Usage.OutputTokens);
        var recorded = Assert.Single(interactions.Interactions);
        Assert.Equal(answer.Usage, recorded.Usage);
        Assert.Equal("Two years [1].", recorded.Answer);
    }

    [Fact]
    public async Task Ask_StreamedAnswer_ArrivesAsDeltasInOrder()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two ", "years", " [1]."], 120, 3));

        var deltas = await OneChunkAnswerer.Create(Chat(), TestChatProviders.Model)
            .AskStreamingAsync(OneChunkAnswerer.Request())
            .OfType<DeltaEvent>()
            .Select(d => d.Text)
            .ToListAsync();

        Assert.Equal(["Two ", "years", " [1]."], deltas);
    }

    [Fact]
    public async Task Ask_FollowUp_RewritesTheQuestionWithANonStreamedCallFirst()
    {
        _server.Enqueue(
            OpenAIResponses.ChatCompletion("battery warranty length", promptTokens: 40, completionTokens: 4),
            OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));
        var interactions = new InMemoryInteractionStore();
        var history = new[] { new ChatTurn(ChatTurn.User, "Tell me about the battery."), new ChatTurn(ChatTurn.Assistant, "It is a 500 Wh pack [1].") };

        var answer = await OneChunkAnswerer.Create(Chat(), TestChatProviders.Model, interactions)
            .AskAsync(OneChunkAnswerer.Request("And its warranty?", history));

        Assert.Equal("Two years [1].", answer.Answer);
        Assert.Equal("battery warranty length", Assert.Single(interactions.Interactions).SearchQuery);
        Assert.Equal(2, _server.Requests.Count);
        var rewrite = _server.Requests[0].Json;
        Assert.False(rewrite.TryGetProperty("stream", out _), "The rewrite is not streamed.");
        Assert.Equal(0, rewrite.GetProperty("temperature").GetDouble());
        Assert.Contains("And its warranty?", rewrite.GetProperty("messages")[1].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.True(_server.Requests[1].Json.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Chat_NonStreamedAnswer_GivesTheTextAndTheServicesUsage()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletion("Two years.", promptTokens: 812, completionTokens: 41));

        var response = await Chat().GetResponseAsync("How long is the battery warranty?");

        Assert.Equal("Two years.", response.Text);
        Assert.Equal(812, response.Usage?.InputTokenCount);
        Assert.Equal(41, response.Usage?.OutputTokenCount);
        Assert.Equal(TestChatProviders.Model, response.ModelId);
    }

    private IChatClient Chat(string? apiKey = null) =>
        OpenAIChatClients.Create(TestChatProviders.OpenAICompatible(_server, apiKey), new FixedTokenCredential("unused"));
}
