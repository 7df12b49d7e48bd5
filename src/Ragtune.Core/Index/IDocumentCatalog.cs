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

    /// <summary>
    /// Commits a document's new chunks (<see cref="IChunkReplacement.CommitAsync"/>) and saves the record that lists
    /// them. Where the catalog and the index share one store (SQLite on the embedded default), both are one transaction:
    /// a failure, a full disk included, leaves neither. Elsewhere (Azure AI Search and Table Storage) the chunks are
    /// committed first, then the record: a failure between leaves chunks without a current record, which the next
    /// ingestion of the document replaces (its content hash differs from the record's, or it has none).
    /// </summary>
    Task CommitAsync(IChunkReplacement chunks, DocumentRecord record, CancellationToken cancellationToken = default);

    /// <summary>Removes a record; removing an unknown one does nothing.</summary>
    Task DeleteAsync(string documentId, CancellationToken cancellationToken = default);
}
