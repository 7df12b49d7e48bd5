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

    public Task DeleteAsync(string documentId, CancellationToken cancellationToken = default)
    {
        _records.TryRemove(documentId, out _);
        return Task.CompletedTask;
    }
}
