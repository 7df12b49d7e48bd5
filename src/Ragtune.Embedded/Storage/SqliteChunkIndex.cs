using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The embedded default's chunk index: chunks, their vectors and an FTS5 index in the SQLite file, and the vectors again in
/// memory for an exact scan. Vector search ranks by cosine (dot product of unit vectors), keyword search by BM25, hybrid by
/// a fusion of the two (<see cref="SqliteStorageOptions.HybridFusion"/>). A search reads the in-memory vectors and the file at the same index version, so
/// it never sees half of a replaced document. One writer at a time (SQLite allows one); searches do not wait for it,
/// except to load the vectors on the first search and to catch up when a commit lands during a search's first reads.
/// SQLite lock timeouts surface as <see cref="Ragtune.Core.DependencyUnavailableException"/>.
/// </summary>
/// <remarks>
/// Its parts: <see cref="SqliteChunkWriter"/> (transactional writes), <see cref="SqliteVectorCache"/> (the vectors in
/// memory, consistent with the file across processes), <see cref="SqliteChunkSearch"/> (each mode at one version, hybrid
/// fusion) and <see cref="SqliteKeywordSearch"/> (full-text SQL with the access and source filters).
/// </remarks>
public sealed class SqliteChunkIndex : IChunkIndex, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly SqliteVectorCache _vectors;
    private readonly SqliteChunkWriter _writer;
    private readonly SqliteChunkSearch _search;
    private readonly Lazy<IChunkSentenceIndexer?> _sentences;

    /// <param name="database">The SQLite file.</param>
    /// <param name="options">The storage settings.</param>
    /// <param name="logger">The index's log.</param>
    /// <param name="sentences">
    /// What computes the extractive answerer's sentence vectors as a document's chunks are staged, asked once at the first
    /// replacement (it may answer null: no sentence vectors at ingestion); null for none.
    /// </param>
    public SqliteChunkIndex(
        SqliteDatabase database, IOptions<SqliteStorageOptions> options, ILogger<SqliteChunkIndex> logger, Func<IChunkSentenceIndexer?>? sentences = null)
    {
        _sentences = new Lazy<IChunkSentenceIndexer?>(sentences ?? (() => null));
        var settings = options.Value;
        _database = database;
        _vectors = new SqliteVectorCache(database, logger);
        _writer = new SqliteChunkWriter(database, _vectors);
        _search = new SqliteChunkSearch(database, _vectors, new SqliteKeywordSearch(settings.CommonTermChunks, settings.SectionWeight), settings);
    }

    public Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(() => ReadEmbeddingsAsync(documentId, cancellationToken));

    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        _writer.DeleteDocumentAsync(documentId, cancellationToken);

    public async Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Top, nameof(query));
        var request = ChunkSearchRequest.From(query);
        return query.Mode == SearchMode.Keyword && request.Terms.Count == 0
            ? []
            : await SqliteFailures.TranslateAsync(() => _search.SearchAsync(request, cancellationToken));
    }

    public Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IChunkReplacement>(new SqliteChunkReplacement(_writer, _database, documentId, _sentences.Value));
    }

    public void Dispose() => _vectors.Dispose();

    private async Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> ReadEmbeddingsAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT content_hash, vector FROM chunks WHERE document_id = $document ORDER BY ordinal;";
        command.Parameters.AddWithValue("$document", documentId);
        var embeddings = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            embeddings.TryAdd(reader.GetString(0), VectorEncoding.FromBlob(reader.GetFieldValue<byte[]>(1)));
        }

        return embeddings;
    }
}
