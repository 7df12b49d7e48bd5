using System.Numerics.Tensors;
using Ragtune.Azure.Search;
using Ragtune.Azure.Tests.Loopback;
using Ragtune.Core.Index;
using Ragtune.Testing.Loopback;

namespace Ragtune.Azure.Tests.Search;

/// <summary><c>Ragtune:Search:SemanticRanker</c>: what Azure AI Search (REST 2023-11-01) is asked, and how its reranked answer is read.</summary>
public sealed class SemanticRankerTests : IAsyncLifetime
{
    private const string SearchPath = "/indexes('ragtune-chunks')/docs/search.post.search";

    private static readonly float[] Question = AzureSearchChunkIndexTests.Unit(1f, 0.5f);
    private static readonly float[] Close = AzureSearchChunkIndexTests.Unit(1f, 0.4f);
    private static readonly float[] Far = AzureSearchChunkIndexTests.Unit(-0.2f, 1f);

    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _server.Enqueue(LoopbackResponse.Json("{}", 201));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(SearchMode.Hybrid)]
    [InlineData(SearchMode.Keyword)]
    public async Task Search_WithTheRankerOn_AsksForSemanticRerankingWithTheIndexsConfiguration(SearchMode mode)
    {
        _server.Respond(SearchServiceResponses.Healthy());

        using var index = Index(semanticRanker: true);
        await index.SearchAsync(new ChunkQuery(mode, "vacation days", Question, 5, ChunkFilter.Public));

        var body = Assert.Single(_server.Requests, r => r.Path == SearchPath).Json;
        Assert.Equal("semantic", body.GetProperty("queryType").GetString());
        Assert.Equal("ragtune-semantic", body.GetProperty("semanticConfiguration").GetString());
        Assert.Equal("vacation days", body.GetProperty("search").GetString());
        Assert.Equal(mode == SearchMode.Hybrid, body.TryGetProperty("vectorQueries", out _));
    }

    [Theory]
    [InlineData(false, SearchMode.Hybrid)]
    [InlineData(true, SearchMode.Vector)]
    public async Task Search_WithoutTheRankerOrWithoutText_StaysASimpleQuery(bool semanticRanker, SearchMode mode)
    {
        _server.Respond(SearchServiceResponses.Healthy());

        using var index = Index(semanticRanker);
        await index.SearchAsync(new ChunkQuery(mode, "vacation days", Question, 5, ChunkFilter.Public));

        var body = Assert.Single(_server.Requests, r => r.Path == SearchPath).Json;
        Assert.Equal("simple", body.GetProperty("queryType").GetString());
        Assert.False(body.TryGetProperty("semanticConfiguration", out _));
    }

    [Fact]
    public async Task Search_Reranked_KeepsTheRerankersOrderAndEachChunksCosine()
    {
        // The ranker puts the far chunk first: its order stands, but its similarity stays the (low) cosine, so the threshold still drops it.
        var far = SearchServiceResponses.Hit(0.0325, "b-0", "handbook/b.pdf", Far);
        far["@search.rerankerScore"] = 3.1;
        var close = SearchServiceResponses.Hit(0.0333, "a-0", "handbook/a.pdf", Close);
        close["@search.rerankerScore"] = 2.4;
        _server.Respond(SearchServiceResponses.Healthy(_ => [far, close]));

        using var index = Index(semanticRanker: true);
        var hits = await index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, "vacation days", Question, 5, ChunkFilter.Public));

        Assert.Equal(["b-0", "a-0"], hits.Select(h => h.Chunk.ChunkId));
        Assert.Equal(TensorPrimitives.Dot(Question, Far), hits[0].Similarity, 5);
        Assert.Equal(TensorPrimitives.Dot(Question, Close), hits[1].Similarity, 5);
        Assert.True(hits[0].Similarity < 0.3f, "the reranked first chunk is below the default threshold on its cosine");
        Assert.Equal([3.1, 2.4], hits.Select(h => h.Score));
    }

    private AzureSearchChunkIndex Index(bool semanticRanker) =>
        AzureSearchChunkIndexTests.Create(_server, new AzureSearchOptions { Endpoint = HttpsToLoopback.ServiceAddress, SemanticRanker = semanticRanker });
}
