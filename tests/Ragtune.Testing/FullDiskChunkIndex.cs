using Ragtune.Core.Index;

namespace Ragtune.Testing;

/// <summary>
/// An index on a disk that fills: after <see cref="FullAfterCommits"/> commits, each replacement's commit fails as a
/// write on a full disk does (the IOException .NET raises for ENOSPC) and writes nothing.
/// </summary>
public sealed class FullDiskChunkIndex(IChunkIndex inner) : IChunkIndex
{
    private const int NoSpaceErrno = 28;

    private readonly Lock _lock = new();
    private int _commits;
    private int _refused;

    /// <summary>Commits allowed before the disk is full; null: never full (space freed).</summary>
    public int? FullAfterCommits { get; set; }

    public int Commits => _commits;

    /// <summary>Commits refused because the disk was full.</summary>
    public int RefusedCommits => _refused;

    public Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default) =>
        inner.GetEmbeddingsAsync(documentId, cancellationToken);

    public async Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default) =>
        new Replacement(this, await inner.BeginReplaceAsync(documentId, cancellationToken));

    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) => inner.DeleteDocumentAsync(documentId, cancellationToken);

    public Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(query, cancellationToken);

    private bool TryTakeCommit()
    {
        lock (_lock)
        {
            if (FullAfterCommits is { } limit && _commits >= limit)
            {
                _refused++;
                return false;
            }

            _commits++;
            return true;
        }
    }

    private sealed class Replacement(FullDiskChunkIndex index, IChunkReplacement inner) : IChunkReplacement
    {
        public Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default) => inner.AddAsync(chunks, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken = default) =>
            index.TryTakeCommit() ? inner.CommitAsync(cancellationToken) : throw new IOException("No space left on device", NoSpaceErrno);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
