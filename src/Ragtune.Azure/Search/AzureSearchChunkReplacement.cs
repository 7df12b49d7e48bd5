using Ragtune.Core.Index;

namespace Ragtune.Azure.Search;

/// <summary>
/// A new version of one document in Azure AI Search: chunks are written as they come (in requests of up to 1,000
/// documents and 16 MB, so memory holds at most one request's worth) under this generation's keys, invisible to
/// searches; <see cref="CommitAsync"/> makes them visible and deletes the previous version. Disposing without committing
/// deletes what was written; the previous version was never touched.
/// </summary>
internal sealed class AzureSearchChunkReplacement(AzureSearchChunkIndex index, string documentId, string generation) : IChunkReplacement
{
    private readonly List<ChunkDocument> _pending = [];
    private readonly List<string> _written = [];
    private readonly HashSet<string> _chunkIds = new(StringComparer.Ordinal);
    private bool _committed;
    private bool _disposed;

    public async Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        var batch = new List<ChunkDocument>(chunks.Count);
        foreach (var chunk in chunks)
        {
            batch.Add(ToDocument(chunk));
        }

        foreach (var document in batch)
        {
            if (!_chunkIds.Add(document.ChunkId))
            {
                throw new ArgumentException($"Chunk id '{document.ChunkId}' is added twice.", nameof(chunks));
            }
        }

        _pending.AddRange(batch);
        if (_pending.Count >= index.Options.MaxBatchDocuments)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        await FlushAsync(cancellationToken);
        await index.CommitAsync(documentId, generation, _written, cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pending.Clear();
        if (!_committed && _written.Count > 0)
        {
            try
            {
                await index.DeleteKeysAsync(_written, CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Uncommitted chunks are invisible to searches, and the document's next replacement or delete removes them.
                index.LogAbandonedCleanupFailed(documentId, exception);
            }
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        await index.UploadAsync(_pending, cancellationToken);
        _written.AddRange(_pending.Select(d => d.Key));
        _pending.Clear();
    }

    private ChunkDocument ToDocument(IndexChunk chunk)
    {
        chunk.EnsureWritableAs(documentId);

        var source = DocumentIds.NormalizeSource(chunk.Source);
        return new ChunkDocument
        {
            Key = ChunkDocument.KeyOf(chunk.ChunkId, generation),
            ChunkId = chunk.ChunkId,
            DocumentId = documentId,
            Generation = generation,
            Committed = false,
            Ordinal = chunk.Ordinal,
            Content = chunk.Text,
            Section = chunk.Section,
            Source = source,
            SourceFolders = ChunkDocument.FoldersOf(source),
            Page = chunk.Page,
            LastPage = chunk.LastPage,
            Groups = AccessScope.ForGroups(chunk.Groups).Groups,
            ContentHash = chunk.ContentHash,
            Embedding = chunk.Vector.ToArray(),
        };
    }

    private void ThrowIfFinished()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException($"The replacement of document {documentId} is already committed.");
        }
    }
}
