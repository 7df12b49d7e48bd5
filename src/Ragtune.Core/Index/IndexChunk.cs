namespace Ragtune.Core.Index;

/// <summary>
/// A chunk as it is stored in the index: text, where it came from, who may read it, and its embedding.
/// </summary>
/// <param name="ChunkId">Document id + ordinal; stable across re-ingestion of the same source.</param>
/// <param name="DocumentId">Stable hash of the document's source path.</param>
/// <param name="Ordinal">0-based position of the chunk in its document.</param>
/// <param name="Source">The document's path relative to the documents root or container, with '/' separators.</param>
/// <param name="Page">1-based page where the chunk starts.</param>
/// <param name="Text">The chunk's text (embedded after the headings above it, <see cref="Chunking.TextChunk.EmbeddingText"/>).</param>
/// <param name="ContentHash">Hash of the text as embedded (headings and text); equal text has an equal hash, and reuses its embedding.</param>
/// <param name="Groups">Groups allowed to read the document; empty means every caller.</param>
/// <param name="Vector">The unit-length embedding of the text as embedded.</param>
/// <param name="Section">The headings the chunk stands under ("Chief Technology Officer &gt; Responsibilities"); empty when none.</param>
/// <param name="LastPage">The 1-based page where the chunk ends (<see cref="Chunking.TextChunk.LastPage"/>); 0 or less: <paramref name="Page"/>.</param>
public sealed record IndexChunk(
    string ChunkId,
    string DocumentId,
    int Ordinal,
    string Source,
    int Page,
    string Text,
    string ContentHash,
    IReadOnlyList<string> Groups,
    ReadOnlyMemory<float> Vector,
    string Section = "",
    int LastPage = 0)
{
    /// <summary>The 1-based page where the chunk ends: after <see cref="Page"/> when it runs on across a page break, else <see cref="Page"/>.</summary>
    public int LastPage { get; init; } = Math.Max(LastPage, Page);

    /// <summary>True when the chunk's text stands on <paramref name="page"/>: a page from the one it starts on to the one it ends on.</summary>
    public bool Covers(int page) => page >= Page && page <= LastPage;

    /// <summary>
    /// Throws unless this chunk can be written as one of <paramref name="documentId"/>'s: it belongs to that document
    /// and has an id, a source, a vector and an ordinal of 0 or more. Every index checks this before it writes.
    /// </summary>
    public void EnsureWritableAs(string documentId)
    {
        if (!string.Equals(DocumentId, documentId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Chunk {ChunkId} belongs to document {DocumentId}, not {documentId}.");
        }

        if (string.IsNullOrWhiteSpace(ChunkId) || Ordinal < 0 || string.IsNullOrWhiteSpace(Source) || Vector.IsEmpty)
        {
            throw new ArgumentException($"Chunk '{ChunkId}' of document {documentId} needs an id, a source, a vector and an ordinal of 0 or more.");
        }
    }
}
