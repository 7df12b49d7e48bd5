namespace Ragtune.Core.Index;

/// <summary>
/// The ledger of documents: one record per source with its content hash and status. SQLite (same file as the index)
/// on the embedded default, Table Storage in Azure.
/// </summary>
public interface IDocumentCatalog
{
    Task<DocumentRecord?> FindAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>Every record, ordered by source.</summary>
    Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of <see cref="DocumentRecord.DocumentId"/>.</summary>
    Task SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default);

    /// <summary>Removes a record; removing an unknown one does nothing.</summary>
    Task DeleteAsync(string documentId, CancellationToken cancellationToken = default);
}
