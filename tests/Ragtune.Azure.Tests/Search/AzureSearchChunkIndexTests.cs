using System.Numerics.Tensors;
using System.Text.Json;
using Azure;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Azure.Search;
using Ragtune.Azure.Tests.Loopback;
using Ragtune.Testing.Loopback;
using Ragtune.Core;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;
using Ragtune.Core.Tokens;
using Xunit.Abstractions;

namespace Ragtune.Azure.Tests.Search;

/// <summary>The chunk index's requests, as Azure AI Search receives them over HTTP, and its reading of the answers.</summary>
public sealed class AzureSearchChunkIndexTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Dimensions = 1536;
    private const string IndexPath = "/indexes('ragtune-chunks')";

    private LoopbackServer _server = null!;
    private AzureSearchChunkIndex _index = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _index = Create(_server);
    }

    public async Task DisposeAsync()
    {
        _index.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task EnsureIndex_PutsTheDefinition_WithCosineHnswTheConfiguredDimensionsAndASemanticConfiguration()
    {
        _server.Respond(SearchServiceResponses.Healthy());

        await _index.EnsureIndexAsync();
        await _index.EnsureIndexAsync();

        var request = Assert.Single(_server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(IndexPath, request.Path);
        Assert.Equal(SearchServiceResponses.ApiVersion, request.Query["api-version"]);
        Assert.Equal("search-key", request.Header("api-key"));
        var body = request.Json;
        var fields = body.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.True(fields["id"].GetProperty("key").GetBoolean());
        Assert.Equal("Collection(Edm.Single)", fields["embedding"].GetProperty("type").GetString());
        Assert.Equal(Dimensions, fields["embedding"].GetProperty("dimensions").GetInt32());
        Assert.True(fields["embedding"].GetProperty("retrievable").GetBoolean());
        Assert.Equal("ragtune-vector-profile", fields["embedding"].GetProperty("vectorSearchProfile").GetString());
        Assert.True(fields["groups"].GetProperty("filterable").GetBoolean());
        Assert.True(fields["content"].GetProperty("searchable").GetBoolean());
        Assert.True(fields["section"].GetProperty("searchable").GetBoolean());
        foreach (var name in (string[])["source", "page", "lastPage", "contentHash", "documentId", "committed", "sourceFolders"])
        {
            Assert.True(fields.ContainsKey(name), name);
        }

        var algorithm = Assert.Single(body.GetProperty("vectorSearch").GetProperty("algorithms").EnumerateArray());
        Assert.Equal("hnsw", algorithm.GetProperty("kind").GetString());
        Assert.Equal("cosine", algorithm.GetProperty("hnswParameters").GetProperty("metric").GetString());
        var semantic = Assert.Single(body.GetProperty("semantic").GetProperty("configurations").EnumerateArray());
        Assert.Equal("content", semantic.GetProperty("prioritizedFields").GetProperty("prioritizedContentFields")[0].GetProperty("fieldName").GetString());
        Assert.Equal("section", semantic.GetProperty("prioritizedFields").GetProperty("titleField").GetProperty("fieldName").GetString());
    }

    [Fact]
    public async Task Replace_ManyChunks_UploadsInvisibleBatchesWithinTheLimits_ThenCommitsAndRemovesTheOldVersion()
    {
        _server.Respond(SearchServiceResponses.Healthy(request =>
            request.Json.GetProperty("filter").GetString()!.Contains("generation ne", StringComparison.Ordinal)
                ? [new Dictionary<string, object> { ["@search.score"] = 1.0, ["id"] = "doc-0_old" }]
                : []));
        var chunks = Chunks("doc", 2_500);

        await using (var replacement = await _index.BeginReplaceAsync("doc"))
        {
            foreach (var batch in chunks.Chunk(64))
            {
                await replacement.AddAsync(batch);
            }

            await replacement.CommitAsync();
        }

        var writes = _server.Requests.Where(r => r.Path == $"{IndexPath}/docs/search.index").ToList();
        Assert.All(writes, w => Assert.Equal(SearchServiceResponses.ApiVersion, w.Query["api-version"]));
        Assert.All(writes, w => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(w.Body), 1, 16 * 1024 * 1024));
        var actions = writes.Select(SearchServiceResponses.Actions).ToList();
        Assert.All(actions, a => Assert.InRange(a.Count, 1, 1000));
        var kinds = actions.Select(a => Assert.Single(a.Select(action => action["@search.action"]!.GetValue<string>()).Distinct())).ToList();
        var uploads = actions.Where((_, i) => kinds[i] == "mergeOrUpload").ToList();
        Assert.Equal(2_500, uploads.Sum(u => u.Count));
        output.WriteLine($"2,500 chunks of {Dimensions} dimensions: {uploads.Count} uploads, {writes.Count} index requests, {_server.Requests.Count} requests in all");
        Assert.All(uploads.SelectMany(u => u), a => Assert.False(a["committed"]!.GetValue<bool>()));
        var first = uploads[0][0];
        Assert.Equal(chunks[0].Vector.ToArray(), first["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(["handbook/"], first["sourceFolders"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("Handbook > Part 0", first["section"]!.GetValue<string>());
        Assert.Equal((1, 2), (first["page"]!.GetValue<int>(), first["lastPage"]!.GetValue<int>()));

        var merges = actions.Where((_, i) => kinds[i] == "merge").ToList();
        Assert.Equal(2_500, merges.Sum(m => m.Count));
        Assert.All(merges.SelectMany(m => m), a => Assert.Equal(["@search.action", "id", "committed"], a.Select(p => p.Key)));
        Assert.Equal(["mergeOrUpload", "merge", "delete"], kinds.Distinct());
        Assert.Equal("delete", kinds[^1]);
        Assert.Equal("doc-0_old", Assert.Single(actions[^1])["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replace_DisposedWithoutCommit_DeletesWhatItWroteAndLeavesThePreviousVersion()
    {
        _server.Respond(SearchServiceResponses.Healthy());

        await using (var replacement = await _index.BeginReplaceAsync("doc"))
        {
            await replacement.AddAsync(Chunks("doc", 1_200));
        }

        var writes = _server.Requests.Where(r => r.Path.EndsWith("/docs/search.index", StringComparison.Ordinal)).Select(SearchServiceResponses.Actions).ToList();
        Assert.DoesNotContain(writes.SelectMany(w => w), a => a["@search.action"]!.GetValue<string>() == "merge");
        var deleted = writes.SelectMany(w => w).Where(a => a["@search.action"]!.GetValue<string>() == "delete").Select(a => a["id"]!.GetValue<string>()).ToList();
        Assert.Equal(1_200, deleted.Count);
        Assert.All(deleted, key => Assert.StartsWith("doc-", key, StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Requests, r => r.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_Hybrid_SendsTextVectorQueryAndFilter_AndTakesSimilarityFromTheVectorsNotTheScore()
    {
        var question = Unit(1f, 0.5f);
        var close = Unit(1f, 0.4f);
        var far = Unit(-0.2f, 1f);
        _server.Respond(SearchServiceResponses.Healthy(_ =>
        [
            new Dictionary<string, object?>(SearchServiceResponses.Hit(0.0333, "a-0", "handbook/a.pdf", close)) { ["section"] = "Benefits > Vacation", ["lastPage"] = 2 },
            SearchServiceResponses.Hit(0.0325, "b-0", "handbook/b.pdf", far, ["hr"]),
        ]));

        var hits = await _index.SearchAsync(new ChunkQuery(
            SearchMode.Hybrid, "new-hire vacation?", question, 5, new ChunkFilter(AccessScope.ForGroups(["hr"]), [])));

        var request = Assert.Single(_server.Requests, r => r.Path == $"{IndexPath}/docs/search.post.search");
        Assert.Equal(SearchServiceResponses.ApiVersion, request.Query["api-version"]);
        var body = request.Json;
        Assert.Equal(@"new\-hire vacation\?", body.GetProperty("search").GetString());
        Assert.Equal("content,section", body.GetProperty("searchFields").GetString());
        Assert.Equal("committed eq true and (not groups/any() or groups/any(g: g eq 'hr'))", body.GetProperty("filter").GetString());
        Assert.Equal(5, body.GetProperty("top").GetInt32());
        Assert.Contains("embedding", body.GetProperty("select").GetString()!.Split(','));
        var vectorQuery = Assert.Single(body.GetProperty("vectorQueries").EnumerateArray());
        Assert.Equal("vector", vectorQuery.GetProperty("kind").GetString());
        Assert.Equal("embedding", vectorQuery.GetProperty("fields").GetString());
        Assert.Equal(50, vectorQuery.GetProperty("k").GetInt32());
        var sent = vectorQuery.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(question.Length, sent.Length);
        Assert.True(TensorPrimitives.Distance(question, sent) < 1e-5f, "the question's vector is sent as it is");

        Assert.Equal(["a-0", "b-0"], hits.Select(h => h.Chunk.ChunkId));
        Assert.Equal(TensorPrimitives.Dot(question, close), hits[0].Similarity, 5);
        Assert.Equal(TensorPrimitives.Dot(question, far), hits[1].Similarity, 5);
        Assert.Equal(0.0333, hits[0].Score, 6);
        Assert.Equal(["hr"], hits[1].Chunk.Groups);
        Assert.Equal(["Benefits > Vacation", ""], hits.Select(h => h.Chunk.Section));
        Assert.Equal([(1, 2), (1, 1)], hits.Select(h => (h.Chunk.Page, h.Chunk.LastPage)));
        Assert.Contains("lastPage", body.GetProperty("select").GetString()!.Split(','));
    }

    [Fact]
    public async Task Search_Vector_SendsOnlyTheVectorQuery_AndAppliesSourceGlobsToTheHits()
    {
        var question = Unit(0f, 1f);
        _server.Respond(SearchServiceResponses.Healthy(_ =>
        [
            SearchServiceResponses.Hit(0.9, "a-0", "handbook/deep/a.pdf", Unit(0.1f, 1f)),
            SearchServiceResponses.Hit(0.8, "b-0", "handbook/b.md", Unit(0.2f, 1f)),
        ]));

        var hits = await _index.SearchAsync(new ChunkQuery(
            SearchMode.Vector, "ignored", question, 3, new ChunkFilter(AccessScope.Unrestricted, ["handbook/**/*.pdf"])));

        var body = Assert.Single(_server.Requests, r => r.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal)).Json;
        Assert.False(body.TryGetProperty("search", out _));
        Assert.Equal("committed eq true and (sourceFolders/any(f: f eq 'handbook/'))", body.GetProperty("filter").GetString());
        Assert.Equal(12, body.GetProperty("vectorQueries")[0].GetProperty("k").GetInt32());
        Assert.Equal(["a-0"], hits.Select(h => h.Chunk.ChunkId));
    }

    [Fact]
    public async Task Search_KeywordWithoutText_AsksNothing()
    {
        Assert.Empty(await _index.SearchAsync(new ChunkQuery(SearchMode.Keyword, "  ", Unit(1f, 0f), 3, ChunkFilter.Public)));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Search_Throttled_RetriesAfterTheServicesWait()
    {
        _server.Enqueue(LoopbackResponse.Json("{}", 201));
        _server.Enqueue(LoopbackResponse.Json("""{"error":{"code":"Throttled","message":"busy"}}""", 429).WithHeader("retry-after-ms", "20"));
        _server.Respond(SearchServiceResponses.Healthy());

        Assert.Empty(await _index.SearchAsync(new ChunkQuery(SearchMode.Vector, "", Unit(1f, 0f), 3, ChunkFilter.Public)));

        Assert.Equal(2, _server.Requests.Count(r => r.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Search_ThrottledPastTheRetries_IsATransientDependencyFailure()
    {
        _server.Enqueue(LoopbackResponse.Json("{}", 201));
        _server.Respond(_ => LoopbackResponse.Json("""{"error":{"code":"Throttled","message":"busy"}}""", 503).WithHeader("retry-after-ms", "10"));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => _index.SearchAsync(new ChunkQuery(SearchMode.Vector, "", Unit(1f, 0f), 3, ChunkFilter.Public)));

        Assert.Equal("search", failure.Dependency);
        Assert.Equal(DependencyFailure.Unavailable, failure.Failure);
        Assert.True(failure.IsTransient);
    }

    [Fact]
    public async Task Search_ThrottledPastTheRetries_CarriesTheServicesWait()
    {
        _server.Enqueue(LoopbackResponse.Json("{}", 201));
        _server.Respond(_ => LoopbackResponse.Json("""{"error":{"code":"Throttled","message":"busy"}}""", 429).WithHeader("retry-after-ms", "20"));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => _index.SearchAsync(new ChunkQuery(SearchMode.Vector, "", Unit(1f, 0f), 3, ChunkFilter.Public)));

        Assert.Equal(DependencyFailure.Throttled, failure.Failure);
        Assert.Equal(TimeSpan.FromMilliseconds(20), failure.RetryAfter);
    }

    [Fact]
    public async Task Index_PartlyThrottledBatch_IsATransientDependencyFailure()
    {
        _server.Respond(request => request.Path.EndsWith("/docs/search.index", StringComparison.Ordinal)
            ? LoopbackResponse.Json(JsonSerializer.Serialize(new { value = SearchServiceResponses.Actions(request).Select(a => new { key = a["id"]!.GetValue<string>(), status = false, errorMessage = "throttled", statusCode = 503 }) }), 207)
            : SearchServiceResponses.Healthy()(request));
        await using var replacement = await _index.BeginReplaceAsync("doc");
        await replacement.AddAsync(Chunks("doc", 3));

        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(() => replacement.CommitAsync());

        Assert.Equal("search", failure.Dependency);
    }

    internal static AzureSearchChunkIndex Create(LoopbackServer server, AzureSearchOptions? options = null)
    {
        var settings = Options.Create(options ?? new AzureSearchOptions { Endpoint = HttpsToLoopback.ServiceAddress });
        return new(
            new SearchIndexClient(
                HttpsToLoopback.ServiceAddress,
                new AzureKeyCredential("search-key"),
                new SearchClientOptions { Transport = HttpsToLoopback.Transport(server), Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10) } }),
            settings,
            new EmbeddingModelProfile("text-embedding-3-small", Dimensions, 8191, 0, ChatModelTokenizers.ForEncoding(ChatModelTokenizers.Cl100kBase), 0.3f),
            new SearchIndexReadiness(new ServiceReadiness(), TimeProvider.System, settings),
            NullLogger<AzureSearchChunkIndex>.Instance);
    }

    private static List<IndexChunk> Chunks(string documentId, int count)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var vector = new float[Dimensions];
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] = (float)((random.NextDouble() * 2) - 1);
            }

            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            var text = $"Chunk {i} of the handbook says something about vacation days and benefits.";
            return new IndexChunk(DocumentIds.ForChunk(documentId, i), documentId, i, "handbook/a.pdf", 1 + (i / 10), text, DocumentIds.ContentHash(text), [], vector, $"Handbook > Part {i / 100}", 2 + (i / 10));
        })];
    }

    internal static float[] Unit(params float[] head)
    {
        var vector = new float[Dimensions];
        head.CopyTo(vector, 0);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }
}
