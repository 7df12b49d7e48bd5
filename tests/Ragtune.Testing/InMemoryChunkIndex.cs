using System.Numerics.Tensors;
using Ragtune.Core.Index;
using Xunit;

namespace Ragtune.Testing;

/// <summary>
/// An <see cref="IChunkIndex"/> in memory with the seam's contract: a replacement is invisible until committed,
/// disposing without commit changes nothing, commit removes every old chunk. Search is a plain ranked scan.
/// </summary>
public sealed class InMemoryChunkIndex : IChunkIndex
{
    private readonly Lock _gate = new();
    private Dictionary<string, IReadOnlyList<IndexChunk>> _documents = new(StringComparer.Ordinal);

    public int Replacements { get; private set; }

    public IReadOnlyList<IndexChunk> Chunks
    {
        get
        {
            lock (_gate)
            {
                return [.. _documents.Values.SelectMany(c => c).OrderBy(c => c.ChunkId, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<IndexChunk> ChunksOf(string documentId)
    {
        lock (_gate)
        {
            return _documents.TryGetValue(documentId, out var chunks) ? chunks : [];
        }
    }

    public Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<string, ReadOnlyMemory<float>> result = ChunksOf(documentId)
            .DistinctBy(c => c.ContentHash)
            .ToDictionary(c => c.ContentHash, c => c.Vector, StringComparer.Ordinal);
        return Task.FromResult(result);
    }

    public Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IChunkReplacement>(new Replacement(this, documentId));

    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _documents = new Dictionary<string, IReadOnlyList<IndexChunk>>(_documents.Where(d => d.Key != documentId), StringComparer.Ordinal);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default)
    {
        var terms = query.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<ChunkHit> hits = [.. Chunks
            .Where(c => query.Filter.Access.CanRead(c.Groups))
            .Select(c => new ChunkHit(c, TensorPrimitives.Dot(c.Vector.Span, query.Vector.Span), terms.Count(t => c.Text.Contains(t, StringComparison.OrdinalIgnoreCase))))
            .Where(h => query.Mode != SearchMode.Keyword || h.Score > 0)
            .OrderByDescending(h => query.Mode == SearchMode.Keyword ? h.Score : h.Similarity)
            .Take(query.Top)];
        return Task.FromResult(hits);
    }

    private sealed class Replacement(InMemoryChunkIndex index, string documentId) : IChunkReplacement
    {
        private readonly List<IndexChunk> _added = [];
        private bool _committed;

        public Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
        {
            Assert.False(_committed, "AddAsync after CommitAsync");
            Assert.All(chunks, c => Assert.Equal(documentId, c.DocumentId));
            _added.AddRange(chunks);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            Assert.False(_committed, "CommitAsync twice");
            _committed = true;
            lock (index._gate)
            {
                index._documents = new Dictionary<string, IReadOnlyList<IndexChunk>>(index._documents, StringComparer.Ordinal) { [documentId] = [.. _added] };
                index.Replacements++;
            }

            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
