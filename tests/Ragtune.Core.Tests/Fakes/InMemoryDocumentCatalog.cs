using System.Collections.Concurrent;
using Ragtune.Core.Index;

namespace Ragtune.Core.Tests.Fakes;

internal sealed class InMemoryDocumentCatalog : IDocumentCatalog
{
    private readonly ConcurrentDictionary<string, DocumentRecord> _records = new(StringComparer.Ordinal);

    public Task<DocumentRecord?> FindAsync(string documentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.GetValueOrDefault(documentId));

    public Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DocumentRecord>>([.. _records.Values.OrderBy(r => r.Source, StringComparer.Ordinal)]);

    public Task SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default)
    {
        _records[record.DocumentId] = record;
        return Task.CompletedTask;
    }

    /// <summary>The chunks, then the record: a commit that fails saves no record.</summary>
    public async Task CommitAsync(IChunkReplacement chunks, DocumentRecord record, CancellationToken cancellationToken = default)
    {
        await chunks.CommitAsync(cancellationToken);
        await SaveAsync(record, cancellationToken);
    }

    public Task DeleteAsync(string documentId, CancellationToken cancellationToken = default)
    {
        _records.TryRemove(documentId, out _);
        return Task.CompletedTask;
    }
}
