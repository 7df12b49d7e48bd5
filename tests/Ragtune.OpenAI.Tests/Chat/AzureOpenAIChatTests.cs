using System.Text.Json;
using Microsoft.Extensions.AI;
using Ragtune.Testing.Loopback;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;

namespace Ragtune.OpenAI.Tests.Chat;

/// <summary>The azure-openai provider's requests, as Azure OpenAI receives them over HTTP.</summary>
public sealed class AzureOpenAIChatTests : IAsyncLifetime
{
    /// <summary>The REST api-version that Azure.AI.OpenAI 2.9.0-beta.1 sends by default (its latest).</summary>
    private const string ApiVersion = "2025-04-01-preview";

    private readonly FixedTokenCredential _credential = new("entra-token");
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ask_WithApiKey_PostsToTheDeploymentWithTheApiKeyHeader()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));

        await AskAsync(apiKey: "azure-key");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/openai/deployments/{TestChatProviders.Model}/chat/completions", request.Path);
        Assert.Equal(ApiVersion, request.Query["api-version"]);
        Assert.Equal("azure-key", request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Empty(_credential.RequestedScopes);
    }

    [Fact]
    public async Task Ask_WithoutApiKey_SendsTheCredentialsBearerToken()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));

        await AskAsync(apiKey: null);

        var request = Assert.Single(_server.Requests);
        Assert.Equal($"/openai/deployments/{TestChatProviders.Model}/chat/completions", request.Path);
        Assert.Equal("Bearer entra-token", request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        var scopes = Assert.Single(_credential.RequestedScopes);
        Assert.Equal(["https://cognitiveservices.azure.com/.default"], scopes);
    }

    [Fact]
    public async Task Ask_SendsTheSystemMessageAndAUserMessageWithContextAndQuestion()
    {
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));

        await AskAsync(apiKey: "azure-key");

        var body = Assert.Single(_server.Requests).Json;
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(new AnswerOptions().SystemMessage, messages[0].GetProperty("content").GetString());
        var user = messages[1].GetProperty("content").GetString();
        Assert.Contains(OneChunkAnswerer.ChunkText, user, StringComparison.Ordinal);
        Assert.Contains(OneChunkAnswerer.Question, user, StringComparison.Ordinal);
        // gpt-4o-mini is a standard model: api-version 2025-04-01-preview takes max_completion_tokens from o1-series models only.
        Assert.Equal(new AnswerOptions().MaxOutputTokens, body.GetProperty("max_tokens").GetInt32());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task Ask_SendsNoAdditionalPropertiesOverTheWire()
    {
        // QuestionAnswerer passes a GroundingContext in ChatOptions.AdditionalProperties for the extractive answerer.
        _server.Enqueue(OpenAIResponses.ChatCompletionStream(["Two years [1]."], 120, 5));

        await AskAsync(apiKey: "azure-key");

        var request = Assert.Single(_server.Requests);
        Assert.Equal(["max_tokens", "messages", "model", "stream", "stream_options"], TopLevelProperties(request.Json));
        Assert.DoesNotContain("ragtune", request.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_WithAdditionalProperties_KeepsThemOffTheWire(bool streaming)
    {
        _server.Enqueue(streaming
            ? OpenAIResponses.ChatCompletionStream(["Two years."], 12, 3)
            : OpenAIResponses.ChatCompletion("Two years.", 12, 3));
        var chat = OpenAIChatClients.Create(TestChatProviders.AzureOpenAI(_server, "azure-key"), _credential);
        var options = new ChatOptions
        {
            MaxOutputTokens = 50,
            AdditionalProperties = new()
            {
                [GroundingContext.PropertyName] = new GroundingContext("How long?", []),
                ["custom_setting"] = "never sent",
            },
        };

        var text = streaming
            ? string.Concat(await chat.GetStreamingResponseAsync("How long?", options).Select(u => u.Text).ToListAsync())
            : (await chat.GetResponseAsync("How long?", options)).Text;

        Assert.Equal("Two years.", text);
        var request = Assert.Single(_server.Requests);
        Assert.DoesNotContain("ragtune", request.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("custom_setting", request.Body, StringComparison.Ordinal);
        Assert.Equal(["max_tokens", "messages", "model"], TopLevelProperties(request.Json).Except(["stream", "stream_options"]));
    }

    private async Task<AskResponse> AskAsync(string? apiKey)
    {
        var chat = OpenAIChatClients.Create(TestChatProviders.AzureOpenAI(_server, apiKey), _credential);
        return await OneChunkAnswerer.Create(chat, TestChatProviders.Model).AskAsync(OneChunkAnswerer.Request());
    }

    private static List<string> TopLevelProperties(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
