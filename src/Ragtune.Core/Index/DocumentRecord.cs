namespace Ragtune.Core.Index;

/// <summary>Whether a document's current content is searchable.</summary>
public enum DocumentStatus
{
    /// <summary>The document's chunks are in the index.</summary>
    Indexed,

    /// <summary>The document could not be ingested; <see cref="DocumentRecord.Error"/> says why. A previous version may still be searchable.</summary>
    Failed,
}

/// <summary>The catalog's entry for a document: what was last ingested from a source, and how it went.</summary>
/// <param name="DocumentId">Stable hash of <paramref name="Source"/>.</param>
/// <param name="Source">Path relative to the documents root or container, with '/' separators.</param>
/// <param name="ContentHash">SHA-256 of the document's bytes as last ingested (or last failed).</param>
/// <param name="Status">Indexed or failed.</param>
/// <param name="Chunks">How many chunks of the document are searchable.</param>
/// <param name="IndexedAt">When the status was recorded.</param>
/// <param name="Groups">Groups allowed to read the document; empty means every caller.</param>
/// <param name="Error">For a failed document, a reason safe to show to users.</param>
/// <param name="SourceVersion">The source's version token (<see cref="Ingestion.SourceDocument.Version"/>) of the content last ingested, or null.</param>
/// <param name="Origin">Where the document was last ingested from; only a synchronisation of that origin removes it on its own.</param>
/// <param name="Chunking">
/// How the content was cut into chunks (<see cref="Chunking.TextChunker.Fingerprint"/>), or null for a record made before
/// chunking was recorded: content cut otherwise than the chunker cuts now is ingested again, even when unchanged.
/// </param>
public sealed record DocumentRecord(
    string DocumentId,
    string Source,
    string ContentHash,
    DocumentStatus Status,
    int Chunks,
    DateTimeOffset IndexedAt,
    IReadOnlyList<string> Groups,
    string? Error,
    string? SourceVersion = null,
    DocumentOrigin Origin = default,
    string? Chunking = null);
