using Ragtune.Core.Index;

namespace Ragtune.Testing;

/// <summary>An index that returns preset hits in preset order, and remembers the last query.</summary>
public sealed class StubChunkIndex : IChunkIndex
{
    public List<ChunkHit> Hits { get; } = [];

    public ChunkQuery? LastQuery { get; private set; }

    public Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default)
    {
        LastQuery = query;
        return Task.FromResult<IReadOnlyList<ChunkHit>>([.. Hits.Take(query.Top)]);
    }

    public Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("not expected");

    public Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("not expected");

    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("not expected");
}
