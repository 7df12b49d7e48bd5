namespace Ragtune.Core.Index;

/// <summary>
/// Where chunks and their embeddings live and are searched: SQLite on the embedded default, Azure AI Search in Azure.
/// </summary>
public interface IChunkIndex
{
    /// <summary>
    /// The embeddings already stored for a document's chunks, keyed by chunk content hash, so that re-ingesting a
    /// document embeds only chunks whose text is new.
    /// </summary>
    Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts replacing all of a document's chunks. Searches keep seeing the previous version until
    /// <see cref="IChunkReplacement.CommitAsync"/>; disposing without committing leaves the previous version as it was.
    /// </summary>
    Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>Removes every chunk of a document. Removing an unknown document does nothing.</summary>
    Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds at most <see cref="ChunkQuery.Top"/> chunks, best first, that pass the query's filter. Each hit carries
    /// the exact cosine similarity between the query vector and the chunk's vector, whatever the mode.
    /// </summary>
    Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default);
}

/// <summary>A new version of one document's chunks, written in batches and made visible at once.</summary>
public interface IChunkReplacement : IAsyncDisposable
{
    /// <summary>Adds a batch of the document's chunks (in ordinal order across calls).</summary>
    Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>Makes the added chunks the document's only chunks, removing every chunk of the previous version.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}
