using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ragtune.Core;
using Ragtune.Testing.Loopback;

namespace Ragtune.Azure.Tests;

/// <summary>
/// The chat and embedding clients exactly as the Functions app composes them (Azure.AI.OpenAI 2.9.0-beta.1 under
/// Microsoft.Extensions.AI.OpenAI), over loopback HTTP: what Azure OpenAI receives and how its answers and throttling are read.
/// </summary>
public sealed class FunctionsOpenAIClientsTests : IAsyncLifetime
{
    /// <summary>The REST api-version Azure.AI.OpenAI 2.9.0-beta.1 sends by default.</summary>
    private const string ApiVersion = "2025-04-01-preview";

    private LoopbackServer _openAI = null!;
    private LoopbackServer _search = null!;

    public async Task InitializeAsync()
    {
        _openAI = await LoopbackServer.StartAsync();
        _search = await LoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _openAI.DisposeAsync();
        await _search.DisposeAsync();
    }

    [Fact]
    public async Task Chat_StandardModel_AnswersAsJsonAndAsAStream()
    {
        _openAI.Enqueue(
            OpenAIResponses.ChatCompletion("Two years.", 12, 3, "gpt-4.1-mini"),
            OpenAIResponses.ChatCompletionStream(["Two ", "years."], 12, 3, "gpt-4.1-mini"));
        using var host = Build("gpt-4.1-mini");
        var chat = host.Services.GetRequiredService<IChatClient>();
        var options = new ChatOptions { MaxOutputTokens = 50, Temperature = 0 };

        var json = await chat.GetResponseAsync("How long?", options);
        var streamed = await chat.GetStreamingResponseAsync("How long?", options).ToListAsync();

        Assert.Equal("Two years.", json.Text);
        Assert.Equal(3, json.Usage?.OutputTokenCount);
        Assert.Equal("Two years.", string.Concat(streamed.Select(u => u.Text)));
        Assert.Equal(2, _openAI.Requests.Count);
        foreach (var request in _openAI.Requests)
        {
            Assert.Equal("/openai/deployments/gpt-4.1-mini/chat/completions", request.Path);
            Assert.Equal(ApiVersion, request.Query["api-version"]);
            Assert.Equal("Bearer entra-token", request.Header("Authorization"));
            Assert.Equal(50, request.Json.GetProperty("max_tokens").GetInt32());
            Assert.False(request.Json.TryGetProperty("max_completion_tokens", out _));
            Assert.Equal(0, request.Json.GetProperty("temperature").GetDouble());
        }

        Assert.True(_openAI.Requests[1].Json.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Chat_ReasoningDeploymentNamedChat_SendsWhatAReasoningModelTakes()
    {
        _openAI.Enqueue(OpenAIResponses.ChatCompletion("battery warranty part-time", 40, 300, "gpt-5.4-mini"));
        var settings = FunctionsComposition.Settings(_openAI, "UseDevelopmentStorage=true", chatModel: "chat");
        settings["Ragtune:Chat:ModelFamily"] = "Reasoning";
        using var host = FunctionsComposition.Build(settings, _search);

        await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("rewrite", new ChatOptions { Temperature = 0, MaxOutputTokens = 100 });

        var body = Assert.Single(_openAI.Requests).Json;
        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.False(body.TryGetProperty("max_tokens", out _));
        Assert.Equal(100 + 4096, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task Embeddings_5000Inputs_GoInBatchesOf2048()
    {
        _openAI.Respond(EmbeddingResponses.Healthy(1536));
        using var host = Build("gpt-4.1-mini");
        var inputs = Enumerable.Range(0, 5000).Select(i => $"chunk {i}").ToList();

        var embeddings = await host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(inputs);

        Assert.Equal(5000, embeddings.Count);
        Assert.Equal([2048, 2048, 904], _openAI.Requests.Select(r => EmbeddingResponses.Inputs(r).Count));
        Assert.Equal(inputs, _openAI.Requests.SelectMany(EmbeddingResponses.Inputs));
        Assert.All(_openAI.Requests, r => Assert.Equal("/openai/deployments/embeddings/embeddings", r.Path));
        Assert.All(_openAI.Requests, r => Assert.Equal(ApiVersion, r.Query["api-version"]));
        Assert.All(_openAI.Requests, r => Assert.Equal(1536, r.Json.GetProperty("dimensions").GetInt32()));
    }

    [Fact]
    public async Task Chat_Throttled_WaitsTheServicesRetryAfterThenAnswers()
    {
        _openAI.Enqueue(OpenAIResponses.Throttled(TimeSpan.FromSeconds(1)), OpenAIResponses.ChatCompletion("Two years.", 12, 3));
        using var host = Build("gpt-4.1-mini");

        var response = await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("How long?");

        Assert.Equal("Two years.", response.Text);
        var requests = _openAI.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "the retry waits for Retry-After");
    }

    [Fact]
    public async Task Chat_ThrottledForLongerThanTheRetryBudget_FailsAtOnceWithTheServicesWait()
    {
        _openAI.Respond(_ => OpenAIResponses.Throttled(TimeSpan.FromSeconds(120)));
        using var host = Build("gpt-4.1-mini");

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => host.Services.GetRequiredService<IChatClient>().GetResponseAsync("How long?"));

        Assert.Equal(DependencyFailure.Throttled, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Single(_openAI.Requests);
    }

    private IHost Build(string chatModel) =>
        FunctionsComposition.Build(FunctionsComposition.Settings(_openAI, "UseDevelopmentStorage=true", chatModel), _search);
}
