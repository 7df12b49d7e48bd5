namespace Ragtune.Core.Ingestion;

/// <summary>A document to ingest: where it comes from, who may read it, and how to open its bytes.</summary>
/// <param name="Source">Path relative to the documents root or container, with '/' separators.</param>
/// <param name="Groups">Groups allowed to read it (from a sidecar or blob metadata); empty means every caller.</param>
/// <param name="OpenAsync">Opens the document's bytes; called at most once per ingestion.</param>
/// <param name="Version">
/// A token the source changes whenever the document's bytes or groups may have changed (a blob's ETag), or null when the
/// source has none. A document whose version equals the one last ingested is not opened at all; otherwise its bytes
/// are hashed and compared, so a version that changes without a change of content costs a read, never an embedding.
/// </param>
/// <param name="Origin">
/// Where it comes from (the watched folder, a path given to <c>ingest</c>, the container). The catalog records the origin
/// of the last ingestion, so a document ingested from another origin is adopted by it.
/// </param>
public sealed record SourceDocument(
    string Source,
    IReadOnlyList<string> Groups,
    Func<CancellationToken, Task<Stream>> OpenAsync,
    string? Version = null,
    Index.DocumentOrigin Origin = default);

/// <summary>Progress of an ingestion: a batch of chunks of a document was written to the index.</summary>
/// <param name="Source">The document.</param>
/// <param name="ChunksWritten">Chunks in this batch.</param>
public sealed record IngestionProgress(string Source, int ChunksWritten);
