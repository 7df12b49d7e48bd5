using System.Numerics.Tensors;
using System.Text.Json;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;

namespace Ragtune.Azure.Search;

/// <summary>
/// The chunk index on Azure AI Search: vector (HNSW, cosine), keyword (BM25) and hybrid (reciprocal rank fusion)
/// queries, access and source filters inside the query, and every hit's exact cosine similarity computed from its
/// returned vector (a hybrid score says nothing about cosine). A document's new version is written under keys of a new
/// generation, invisible (<c>committed</c> false) until it is complete, then made visible and the old generation
/// deleted. Requests stay within the service's limits: 1,000 documents and 16 MB per index request.
/// </summary>
public sealed partial class AzureSearchChunkIndex : IChunkIndex, IDisposable
{
    private const string Dependency = "search";

    /// <summary>Chunks read per request when listing a document's chunks (the service's largest page).</summary>
    private const int PageSize = 1000;

    /// <summary>Vector neighbours fed into a hybrid query's fusion, as the service recommends.</summary>
    private const int HybridNeighbours = 50;

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    private readonly SearchIndexClient _indexClient;
    private readonly SearchClient _client;
    private readonly AzureSearchOptions _options;
    private readonly int _dimensions;
    private readonly ILogger<AzureSearchChunkIndex> _logger;
    private readonly SearchIndexReadiness _readiness;
    private readonly SemaphoreSlim _ensureLock = new(1, 1);
    private volatile bool _ensured;

    public AzureSearchChunkIndex(
        SearchIndexClient indexClient,
        IOptions<AzureSearchOptions> options,
        EmbeddingModelProfile embeddingModel,
        SearchIndexReadiness readiness,
        ILogger<AzureSearchChunkIndex> logger)
    {
        _indexClient = indexClient;
        _options = options.Value;
        _client = indexClient.GetSearchClient(_options.IndexName);
        _dimensions = embeddingModel.Dimensions;
        _readiness = readiness;
        _logger = logger;
    }

    internal AzureSearchOptions Options => _options;

    public void Dispose() => _ensureLock.Dispose();

    /// <summary>
    /// Makes sure the index exists before it is used: created or updated once per process. After a failed attempt, a
    /// caller gets that failure as a transient <see cref="Core.DependencyUnavailableException"/> (503 for an ask, a retry
    /// for an ingestion) until it is time to try again, rather than another request to the service.
    /// </summary>
    public Task EnsureIndexAsync(CancellationToken cancellationToken = default) =>
        _ensured ? Task.CompletedTask
        : _readiness.Blocking() is { } notReady ? Task.FromException(notReady)
        : CreateOrUpdateIndexAsync(cancellationToken);

    /// <summary>Creates the index or updates its definition now, unless done already; a failure is recorded in <see cref="SearchIndexReadiness"/>.</summary>
    public async Task CreateOrUpdateIndexAsync(CancellationToken cancellationToken = default)
    {
        await _ensureLock.WaitAsync(cancellationToken);
        try
        {
            if (_ensured)
            {
                return;
            }

            try
            {
                await TranslateAsync(() => _indexClient.CreateOrUpdateIndexAsync(ChunkIndexDefinition.Create(_options, _dimensions), cancellationToken: cancellationToken), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw _readiness.Failed(exception);
            }

            _ensured = true;
            _readiness.Ready();
            Log.IndexReady(_logger, _options.IndexName, _dimensions);
        }
        finally
        {
            _ensureLock.Release();
        }
    }

    public async Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken);
        var embeddings = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        await foreach (var chunk in ListAsync(ChunkFilters.VisibleOf(documentId), [ChunkFields.ContentHash, ChunkFields.Embedding], cancellationToken))
        {
            if (chunk.Embedding is { Length: > 0 } vector)
            {
                embeddings.TryAdd(chunk.ContentHash, vector);
            }
        }

        return embeddings;
    }

    public async Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentId);
        await EnsureIndexAsync(cancellationToken);
        return new AzureSearchChunkReplacement(this, documentId, Guid.NewGuid().ToString("N"));
    }

    public async Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken);
        await DeleteWhereAsync(ChunkFilters.AllOf(documentId), cancellationToken);
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Top, nameof(query));
        var vector = Normalize(query.Vector.Span);
        if (query.Mode != Core.Index.SearchMode.Vector && string.IsNullOrWhiteSpace(query.Text))
        {
            return [];
        }

        await EnsureIndexAsync(cancellationToken);
        var matcher = query.Filter.SourcePatterns.Count == 0 ? null : SourceGlob.CreateMatcher(query.Filter.SourcePatterns);

        // Globs are matched on the hits, so ask for more when a glob may remove some.
        var size = Math.Min(matcher is null ? query.Top : query.Top * 4, PageSize);
        var options = CreateSearchOptions(query, vector, size, _options);
        var text = query.Mode == Core.Index.SearchMode.Vector ? null : ChunkFilters.EscapeSimpleQuery(query.Text);
        var response = await TranslateAsync(() => _client.SearchAsync<ChunkDocument>(text, options, cancellationToken), cancellationToken);

        var hits = new List<ChunkHit>(query.Top);
        await foreach (var result in response.Value.GetResultsAsync().WithCancellation(cancellationToken))
        {
            var chunk = ToChunk(result.Document);

            // The query already filtered; checking again costs little and keeps a filter bug from leaking a chunk.
            if (!query.Filter.Access.CanRead(chunk.Groups) || (matcher is not null && !matcher(chunk.Source)))
            {
                continue;
            }

            if (chunk.Vector.Length != vector.Length)
            {
                throw new ArgumentException($"The query vector has {vector.Length} dimensions; the index holds vectors of {chunk.Vector.Length}.", nameof(query));
            }

            // In the service's order (the semantic ranker's, when it reranks), with the true cosine that the threshold needs.
            hits.Add(new ChunkHit(chunk, TensorPrimitives.CosineSimilarity(vector, chunk.Vector.Span), result.SemanticSearch?.RerankerScore ?? result.Score ?? 0));
            if (hits.Count == query.Top)
            {
                break;
            }
        }

        return hits;
    }

    /// <summary>
    /// The options of a search: the filter, the vector query for vector and hybrid, the fields to return, and for
    /// keyword and hybrid with <see cref="AzureSearchOptions.SemanticRanker"/> on, the semantic ranker over the results
    /// (<c>queryType: semantic</c> with the index's semantic configuration; the query text stays simple syntax).
    /// </summary>
    internal static SearchOptions CreateSearchOptions(ChunkQuery query, float[] vector, int size, AzureSearchOptions index)
    {
        var rerank = index.SemanticRanker && query.Mode != Core.Index.SearchMode.Vector;
        var options = new SearchOptions
        {
            Filter = ChunkFilters.ForSearch(query.Filter),
            Size = size,
            QueryType = rerank ? SearchQueryType.Semantic : SearchQueryType.Simple,
            SearchMode = global::Azure.Search.Documents.Models.SearchMode.Any,
        };
        if (rerank)
        {
            options.SemanticSearch = new SemanticSearchOptions { SemanticConfigurationName = index.SemanticConfiguration };
        }

        foreach (var field in (string[])[ChunkFields.Key, ChunkFields.ChunkId, ChunkFields.DocumentId, ChunkFields.Ordinal, ChunkFields.Content,
                     ChunkFields.Section, ChunkFields.Source, ChunkFields.Page, ChunkFields.LastPage, ChunkFields.Groups, ChunkFields.ContentHash,
                     ChunkFields.Embedding])
        {
            options.Select.Add(field);
        }

        if (query.Mode != Core.Index.SearchMode.Vector)
        {
            options.SearchFields.Add(ChunkFields.Content);
            options.SearchFields.Add(ChunkFields.Section);
        }

        if (query.Mode != Core.Index.SearchMode.Keyword)
        {
            options.VectorSearch = new VectorSearchOptions
            {
                Queries =
                {
                    new VectorizedQuery(vector)
                    {
                        KNearestNeighborsCount = query.Mode == Core.Index.SearchMode.Hybrid ? Math.Max(size, HybridNeighbours) : size,
                        Fields = { ChunkFields.Embedding },
                    },
                },
            };
        }

        return options;
    }

    /// <summary>Writes chunks with mergeOrUpload, in requests within the service's document and size limits.</summary>
    internal async Task UploadAsync(IReadOnlyList<ChunkDocument> documents, CancellationToken cancellationToken)
    {
        var batch = new List<ChunkDocument>();
        long bytes = 0;
        foreach (var document in documents)
        {
            // The document's JSON as the SDK writes it, plus the action's envelope.
            var size = JsonSerializer.SerializeToUtf8Bytes(document, Wire).Length + 32;
            if (batch.Count > 0 && (batch.Count == _options.MaxBatchDocuments || bytes + size > _options.MaxBatchBytes))
            {
                await IndexAsync(IndexDocumentsBatch.MergeOrUpload(batch), cancellationToken);
                batch = [];
                bytes = 0;
            }

            batch.Add(document);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            await IndexAsync(IndexDocumentsBatch.MergeOrUpload(batch), cancellationToken);
        }
    }

    /// <summary>Makes a generation's chunks visible (a merge of <c>committed</c> only), then deletes every other generation's.</summary>
    internal async Task CommitAsync(string documentId, string generation, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(_options.MaxBatchDocuments))
        {
            var batch = IndexDocumentsBatch.Merge(chunk.Select(key => new SearchDocument { [ChunkFields.Key] = key, [ChunkFields.Committed] = true }));
            await IndexAsync(batch, cancellationToken);
        }

        await DeleteWhereAsync(ChunkFilters.OthersOf(documentId, generation), cancellationToken);
    }

    /// <summary>Deletes chunks by key (best effort for an abandoned replacement; missing keys are no error).</summary>
    internal async Task DeleteKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(_options.MaxBatchDocuments))
        {
            await IndexAsync(IndexDocumentsBatch.Delete(ChunkFields.Key, chunk), cancellationToken);
        }
    }

    internal void LogAbandonedCleanupFailed(string documentId, Exception exception) => Log.AbandonedCleanupFailed(_logger, documentId, exception);

    private async Task DeleteWhereAsync(string filter, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var chunk in ListAsync(filter, [ChunkFields.Key], cancellationToken))
        {
            keys.Add(chunk.Key);
        }

        await DeleteKeysAsync(keys, cancellationToken);
    }

    private async IAsyncEnumerable<ChunkDocument> ListAsync(
        string filter, string[] fields, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var skip = 0; ; skip += PageSize)
        {
            var options = new SearchOptions { Filter = filter, Size = PageSize, Skip = skip, OrderBy = { $"{ChunkFields.Ordinal} asc" } };
            foreach (var field in fields.Append(ChunkFields.Key).Distinct(StringComparer.Ordinal))
            {
                options.Select.Add(field);
            }

            var response = await TranslateAsync(() => _client.SearchAsync<ChunkDocument>("*", options, cancellationToken), cancellationToken);
            var count = 0;
            await foreach (var result in response.Value.GetResultsAsync().WithCancellation(cancellationToken))
            {
                count++;
                yield return result.Document;
            }

            if (count < PageSize)
            {
                yield break;
            }
        }
    }

    private async Task IndexAsync<T>(IndexDocumentsBatch<T> batch, CancellationToken cancellationToken)
    {
        var response = await TranslateAsync(
            () => _client.IndexDocumentsAsync(batch, new IndexDocumentsOptions { ThrowOnAnyError = false }, cancellationToken), cancellationToken);
        var failed = response.Value.Results.Where(r => !r.Succeeded).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        // 207: some documents were not written. Throttling and unavailability are worth a retry; anything else is a bug.
        Log.IndexBatchPartlyFailed(_logger, failed.Count, batch.Actions.Count, failed[0].Status, failed[0].ErrorMessage);
        if (failed.All(r => r.Status is 429 or 503))
        {
            throw new Core.DependencyUnavailableException(
                Dependency, failed.Any(r => r.Status == 429) ? Core.DependencyFailure.Throttled : Core.DependencyFailure.Unavailable);
        }

        throw new InvalidOperationException(
            $"Azure AI Search did not write {failed.Count} of {batch.Actions.Count} documents: {failed[0].Key}: {failed[0].Status} {failed[0].ErrorMessage}");
    }

    private static Task<T> TranslateAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        AzureDependencyErrors.TranslateAsync(call, Dependency, cancellationToken);

    private static IndexChunk ToChunk(ChunkDocument document) => new(
        document.ChunkId,
        document.DocumentId,
        document.Ordinal,
        document.Source,
        document.Page,
        document.Content,
        document.ContentHash,
        document.Groups,
        document.Embedding ?? throw new InvalidDataException($"Chunk {document.ChunkId} came back without its vector; the '{ChunkFields.Embedding}' field must be retrievable."),
        document.Section ?? "",
        document.LastPage ?? 0);

    private static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (vector.IsEmpty || !float.IsFinite(norm) || norm == 0)
        {
            throw new ArgumentException("The query vector must be non-empty and non-zero: every hit carries its cosine similarity, so every mode needs it.", nameof(vector));
        }

        var unit = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, unit);
        return unit;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Search index {IndexName} is ready ({Dimensions} dimensions)")]
        public static partial void IndexReady(ILogger logger, string indexName, int dimensions);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Search index request wrote {Failed} of {Total} documents short; first status {Status}: {Error}")]
        public static partial void IndexBatchPartlyFailed(ILogger logger, int failed, int total, int status, string? error);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Could not remove the uncommitted chunks of document {DocumentId}; they stay invisible and the next replacement removes them")]
        public static partial void AbandonedCleanupFailed(ILogger logger, string documentId, Exception exception);
    }
}
