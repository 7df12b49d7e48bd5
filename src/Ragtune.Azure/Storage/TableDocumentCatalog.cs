using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ragtune.Core.Index;

namespace Ragtune.Azure.Storage;

/// <summary>
/// The documents ledger in Table Storage: one entity per document (partition <c>documents</c>, row key the document id)
/// with its source, content hash, status, chunks, groups, error, origin and the chunking its chunks
/// were cut with. Throttling and outages surface as
/// <see cref="Core.DependencyUnavailableException"/>. An entity written before origins has no <c>Origin</c> property and
/// reads as the documents container's: the blob trigger and the hourly reconcile were its only writers.
/// </summary>
public sealed class TableDocumentCatalog(StorageTables tables, IOptions<AzureStorageOptions> options) : IDocumentCatalog
{
    private const string Partition = "documents";
    private readonly string _table = options.Value.DocumentsTable;
    private readonly DocumentOrigin _before = DocumentOrigin.Container(options.Value.DocumentsContainer);

    public async Task<DocumentRecord?> FindAsync(string documentId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_table, cancellationToken);
        var entity = await StorageCalls.TranslateAsync(() => table.GetEntityIfExistsAsync<TableEntity>(Partition, documentId, cancellationToken: cancellationToken), cancellationToken);
        return entity.HasValue ? Read(entity.Value!, _before) : null;
    }

    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_table, cancellationToken);
        var entities = await StorageCalls.TranslateAsync(
            async () =>
            {
                var all = new List<TableEntity>();
                await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
                {
                    all.Add(entity);
                }

                return all;
            },
            cancellationToken);

        // Read outside the translated call: a record that cannot be read is a data error, not an unavailable service.
        return [.. entities.Select(e => Read(e, _before)).OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.DocumentId, StringComparer.Ordinal)];
    }

    public async Task SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(record.DocumentId, nameof(record));
        ArgumentOutOfRangeException.ThrowIfNegative(record.Chunks, nameof(record));
        var table = await tables.GetAsync(_table, cancellationToken);
        var entity = new TableEntity(Partition, record.DocumentId)
        {
            ["Source"] = DocumentIds.NormalizeSource(record.Source),
            ["ContentHash"] = record.ContentHash,
            ["Status"] = record.Status == DocumentStatus.Indexed ? "indexed" : "failed",
            ["Chunks"] = record.Chunks,

            // Text, so the offset survives (Table Storage keeps DateTime values in UTC only).
            ["IndexedAt"] = record.IndexedAt.ToString("O", CultureInfo.InvariantCulture),
            ["Groups"] = JsonSerializer.Serialize(AccessScope.ForGroups(record.Groups).Groups),
            ["Error"] = record.Error,
            ["SourceVersion"] = record.SourceVersion,
            ["Origin"] = record.Origin.ToText(),
            ["Chunking"] = record.Chunking,
        };
        await StorageCalls.TranslateAsync(() => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The index (Azure AI Search) first, then the record: two services, no shared transaction. A failure between leaves
    /// chunks under the previous record (or none), and the next ingestion of the document, whose hash the record does
    /// not hold, replaces them.
    /// </summary>
    public async Task CommitAsync(IChunkReplacement chunks, DocumentRecord record, CancellationToken cancellationToken = default)
    {
        await chunks.CommitAsync(cancellationToken);
        await SaveAsync(record, cancellationToken);
    }

    public async Task DeleteAsync(string documentId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_table, cancellationToken);
        await StorageCalls.TranslateAsync(() => table.DeleteEntityAsync(Partition, documentId, cancellationToken: cancellationToken), cancellationToken);
    }

    private static DocumentRecord Read(TableEntity entity, DocumentOrigin before) => new(
        DocumentId: entity.RowKey,
        Source: entity.GetString("Source") ?? "",
        ContentHash: entity.GetString("ContentHash") ?? "",
        Status: entity.GetString("Status") switch
        {
            "indexed" => DocumentStatus.Indexed,
            "failed" => DocumentStatus.Failed,
            var other => throw new InvalidDataException($"Unknown document status '{other}' in the catalog."),
        },
        Chunks: entity.GetInt32("Chunks") ?? 0,
        IndexedAt: DateTimeOffset.ParseExact(entity.GetString("IndexedAt") ?? "", "O", CultureInfo.InvariantCulture),
        Groups: JsonSerializer.Deserialize<string[]>(entity.GetString("Groups") ?? "[]") ?? [],
        Error: entity.GetString("Error"),
        SourceVersion: entity.GetString("SourceVersion"),
        Origin: entity.GetString("Origin") is { } origin ? DocumentOrigin.Parse(origin) : before,
        Chunking: entity.GetString("Chunking"));
}
