using Ragtune.Testing.Loopback;
using Ragtune.OpenAI.Tests.Chat;
using Ragtune.Core;

namespace Ragtune.OpenAI.Tests.Embeddings;

/// <summary>The embedding generator's requests, as Azure OpenAI receives them over HTTP: batched, retried within bounds.</summary>
public sealed class AzureOpenAIEmbeddingsTests : IAsyncLifetime
{
    /// <summary>The REST api-version that Azure.AI.OpenAI 2.9.0-beta.1 sends by default.</summary>
    private const string ApiVersion = "2025-04-01-preview";
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Generate_5000Inputs_SendsThreeRequestsOfAtMost2048InOrder()
    {
        _server.Respond(EmbeddingResponses.Healthy(8));
        var inputs = Enumerable.Range(0, 5000).Select(i => $"chunk {i}").ToList();

        var embeddings = await Generator(dimensions: 8).GenerateAsync(inputs);

        Assert.Equal(5000, embeddings.Count);
        var requests = _server.Requests;
        Assert.Equal([2048, 2048, 904], requests.Select(r => EmbeddingResponses.Inputs(r).Count));
        Assert.Equal(inputs, requests.SelectMany(EmbeddingResponses.Inputs));
        var request = requests[0];
        Assert.Equal("/openai/deployments/embeddings/embeddings", request.Path);
        Assert.Equal(ApiVersion, request.Query["api-version"]);
        Assert.Equal("Bearer entra-token", request.Header("Authorization"));
        Assert.Equal(8, request.Json.GetProperty("dimensions").GetInt32());
        Assert.Equal(5000, embeddings.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Generate_LongInputs_StaysWithinTheTokenBudgetPerRequest()
    {
        _server.Respond(EmbeddingResponses.Healthy(8));
        var long1000Tokens = string.Join(' ', Enumerable.Repeat("vacation", 1000));

        await Generator(dimensions: 8, maxTokens: 2500).GenerateAsync(Enumerable.Repeat(long1000Tokens, 5));

        Assert.Equal([2, 2, 1], _server.Requests.Select(r => EmbeddingResponses.Inputs(r).Count));
    }

    [Fact]
    public async Task Generate_Throttled_WaitsTheServicesRetryAfterAndSucceeds()
    {
        _server.Enqueue(OpenAIResponses.Throttled(TimeSpan.FromSeconds(1)));
        _server.Respond(EmbeddingResponses.Healthy(8));

        var embeddings = await Generator(dimensions: 8).GenerateAsync(["a", "b"]);

        Assert.Equal(2, embeddings.Count);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "the retry waits for Retry-After");
    }

    [Fact]
    public async Task Generate_ThrottledForLongerThanTheRetryBudget_FailsAtOnceWithTheWait()
    {
        _server.Respond(_ => OpenAIResponses.Throttled(TimeSpan.FromSeconds(120)));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Generator(dimensions: 8).GenerateAsync(["a"]));

        Assert.Equal("embeddings", failure.Dependency);
        Assert.Equal(DependencyFailure.Throttled, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Generate_Unavailable_RetriesThenFailsAsUnavailable()
    {
        _server.Respond(_ => OpenAIResponses.Unavailable(TimeSpan.FromMilliseconds(10)));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Generator(dimensions: 8).GenerateAsync(["a"]));

        Assert.Equal(DependencyFailure.Unavailable, failure.Failure);
        Assert.Equal(3, _server.Requests.Count);
    }

    private Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> Generator(int dimensions, int maxTokens = 250_000) =>
        AzureOpenAIEmbeddings.Create(
            new AzureOpenAIEmbeddingOptions
            {
                Endpoint = _server.BaseAddress,
                Deployment = "embeddings",
                Dimensions = dimensions,
                MaxTokensPerRequest = maxTokens,
                MaxRetries = 2,
                MaxRetryDelay = TimeSpan.FromSeconds(5),
                Timeout = TimeSpan.FromSeconds(20),
            },
            new FixedTokenCredential("entra-token"));
}
