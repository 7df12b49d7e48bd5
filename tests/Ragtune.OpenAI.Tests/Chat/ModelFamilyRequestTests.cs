using System.Text.Json;
using Microsoft.Extensions.AI;
using Ragtune.Core.Answering;
using Ragtune.Testing.Loopback;

namespace Ragtune.OpenAI.Tests.Chat;

/// <summary>
/// What Core's requests (the follow-up rewrite: temperature 0 and 100 tokens; the answer: 800 tokens, streamed) look like
/// on the wire for a standard model (gpt-4.1-mini) and a reasoning model (gpt-5.4-mini), on both providers.
/// </summary>
public sealed class ModelFamilyRequestTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<ChatTurn> History = [new(ChatTurn.User, "How long is the battery warranty?"), new(ChatTurn.Assistant, "Two years [1].")];

    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Rewrite_StandardModelOnAzure_SendsTemperatureAndMaxTokens()
    {
        var body = await RewriteAsync(Azure("gpt-4.1-mini"));

        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
        Assert.Equal(100, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_completion_tokens", out _), "2025-04-01-preview takes max_completion_tokens from o1-series models only");
        Assert.False(body.TryGetProperty("reasoning_effort", out _));
    }

    [Theory]
    [InlineData("gpt-5.4-mini", null)]
    [InlineData("chat", ChatModelFamily.Reasoning)]
    public async Task Rewrite_ReasoningModelOnAzure_LeavesOutTemperatureAndLeavesRoomToReason(string deployment, ChatModelFamily? family)
    {
        var options = Azure(deployment);
        options.ModelFamily = family;

        var body = await RewriteAsync(options);

        Assert.False(body.TryGetProperty("temperature", out _), "reasoning models accept only the default temperature");
        Assert.False(body.TryGetProperty("max_tokens", out _), "reasoning models reject max_tokens");
        Assert.Equal(100 + options.MaxReasoningTokens, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task Rewrite_StandardModelOnACompatibleServer_SendsTemperatureAndMaxCompletionTokens()
    {
        var body = await RewriteAsync(TestChatProviders.OpenAICompatible(_server, model: "gpt-4.1-mini"));

        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
        Assert.Equal(100, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_tokens", out _));
    }

    [Fact]
    public async Task Rewrite_ReasoningModelOnACompatibleServer_LeavesOutTemperature()
    {
        var options = TestChatProviders.OpenAICompatible(_server, model: "gpt-5-mini");
        options.ReasoningEffort = null;
        options.MaxReasoningTokens = 1000;

        var body = await RewriteAsync(options);

        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.Equal(1100, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("reasoning_effort", out _), "no effort configured: the model's own default");
    }

    [Theory]
    [InlineData("gpt-4.1-mini", "max_tokens", 0)]
    [InlineData("gpt-5.4-mini", "max_completion_tokens", 4096)]
    public async Task Ask_StreamedOnAzure_SendsTheAnswersLimitUnderTheFamilysName(string model, string limit, int reasoning)
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5, model));
        var chat = OpenAIChatClients.Create(Azure(model), new FixedTokenCredential("entra-token"));

        var response = await OneChunkAnswerer.Create(chat, model).AskAsync(OneChunkAnswerer.Request());

        Assert.Equal("Two years [1].", response.Answer);
        var body = Assert.Single(_server.Requests).Json;
        Assert.Equal(new AnswerOptions().MaxOutputTokens + reasoning, body.GetProperty(limit).GetInt32());
        string[] expected = ["messages", "model", "stream", "stream_options", limit, .. reasoning > 0 ? ["reasoning_effort"] : Array.Empty<string>()];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Properties(body));
    }

    [Fact]
    public void Shape_LeavesTheCallersOptionsAsTheyWere()
    {
        var requested = new ChatOptions { Temperature = 0, MaxOutputTokens = 100 };
        using var chat = new ModelFamilyChatClient(new NoChatClient(), Azure("gpt-5.4-mini"));

        var shaped = chat.Shape(requested)!;

        Assert.Null(shaped.Temperature);
        Assert.Equal(0, requested.Temperature);
        Assert.Equal(100, requested.MaxOutputTokens);
    }

    private ChatProviderOptions Azure(string deployment) => TestChatProviders.AzureOpenAI(_server, "azure-key", deployment);

    /// <summary>Core's rewrite of a follow-up through the client for <paramref name="options"/>; the request body the service got.</summary>
    private async Task<JsonElement> RewriteAsync(ChatProviderOptions options)
    {
        _server.Enqueue(OpenAIResponses.ChatCompletion("part-time staff battery warranty", 40, 6, options.Model!));
        var chat = OpenAIChatClients.Create(options, new FixedTokenCredential("entra-token"));

        var query = await new QueryRewriter(chat, options.Profile()).RewriteAsync("and for part-time staff?", History);

        Assert.Equal("part-time staff battery warranty", query);
        return Assert.Single(_server.Requests).Json;
    }

    private static List<string> Properties(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private sealed class NoChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
