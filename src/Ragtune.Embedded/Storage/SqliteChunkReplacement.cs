using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>A chunk checked and ready to write: canonical source and groups, unit-length vector.</summary>
internal sealed record PendingChunk(IndexChunk Chunk, string Source, string[] Groups, string GroupsJson, float[] Vector);

/// <summary>
/// A new version of one document's chunks. Batches are checked and kept in memory; <see cref="CommitAsync"/> writes them
/// in one short transaction, so no write lock is held while the caller embeds the next batch, and disposing without
/// committing leaves nothing to undo.
/// </summary>
internal sealed class SqliteChunkReplacement(SqliteChunkIndex index, string documentId) : IChunkReplacement
{
    private readonly List<PendingChunk> _chunks = [];
    private readonly HashSet<string> _chunkIds = new(StringComparer.Ordinal);
    private readonly HashSet<int> _ordinals = [];
    private bool _committed;
    private bool _disposed;

    public Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        cancellationToken.ThrowIfCancellationRequested();

        // Check the whole batch before keeping any of it, so that a bad chunk leaves the replacement as it was.
        var batch = new List<PendingChunk>(chunks.Count);
        var batchIds = new HashSet<string>(StringComparer.Ordinal);
        var batchOrdinals = new HashSet<int>();
        foreach (var chunk in chunks)
        {
            var pending = Check(chunk, _chunks.Count > 0 ? _chunks[0] : batch.FirstOrDefault());
            if (_chunkIds.Contains(chunk.ChunkId) || !batchIds.Add(chunk.ChunkId))
            {
                throw new ArgumentException($"Chunk id '{chunk.ChunkId}' is added twice.", nameof(chunks));
            }

            if (_ordinals.Contains(chunk.Ordinal) || !batchOrdinals.Add(chunk.Ordinal))
            {
                throw new ArgumentException($"Ordinal {chunk.Ordinal} of document {documentId} is added twice.", nameof(chunks));
            }

            batch.Add(pending);
        }

        _chunks.AddRange(batch);
        _chunkIds.UnionWith(batchIds);
        _ordinals.UnionWith(batchOrdinals);
        return Task.CompletedTask;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        await index.CommitReplacementAsync(documentId, _chunks, cancellationToken);
        _committed = true;
        _chunks.Clear();
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _chunks.Clear();
        return ValueTask.CompletedTask;
    }

    private PendingChunk Check(IndexChunk chunk, PendingChunk? first)
    {
        if (!string.Equals(chunk.DocumentId, documentId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Chunk {chunk.ChunkId} belongs to document {chunk.DocumentId}, not {documentId}.", nameof(chunk));
        }

        if (string.IsNullOrWhiteSpace(chunk.ChunkId) || chunk.Ordinal < 0 || string.IsNullOrWhiteSpace(chunk.Source))
        {
            throw new ArgumentException($"Chunk '{chunk.ChunkId}' of document {documentId} needs an id, a source and an ordinal of 0 or more.", nameof(chunk));
        }

        var vector = VectorEncoding.Normalize(chunk.Vector.Span, $"vector of chunk {chunk.ChunkId}");
        if (first is not null && vector.Length != first.Vector.Length)
        {
            throw new ArgumentException(
                $"Chunk {chunk.ChunkId} has a vector of {vector.Length} dimensions; the document's other chunks have {first.Vector.Length}.", nameof(chunk));
        }

        var groups = GroupsJson.Canonicalize(chunk.Groups);
        return new PendingChunk(chunk, DocumentIds.NormalizeSource(chunk.Source), groups, GroupsJson.Serialize(groups), vector);
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
