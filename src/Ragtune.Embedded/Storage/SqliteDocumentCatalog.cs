using System.Globalization;
using Microsoft.Data.Sqlite;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The document catalog in the embedded default's SQLite file (table <c>documents</c>). SQLite lock timeouts surface as
/// <see cref="Ragtune.Core.DependencyUnavailableException"/>.
/// </summary>
public sealed class SqliteDocumentCatalog(SqliteDatabase database) : IDocumentCatalog
{
    private const string Columns = "document_id, source, content_hash, status, chunks, indexed_at, groups, error, source_version, origin, chunking";

    public Task<DocumentRecord?> FindAsync(string documentId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(() => FindCoreAsync(documentId, cancellationToken));

    public Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(() => ListCoreAsync(cancellationToken));

    public Task SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default)
    {
        Check(record);
        return SqliteFailures.TranslateAsync(() => SaveCoreAsync(record, cancellationToken));
    }

    /// <summary>
    /// A replacement of this database's index commits its chunks and this record in one transaction (a full disk leaves
    /// neither); any other replacement commits first, then the record is saved.
    /// </summary>
    public async Task CommitAsync(IChunkReplacement chunks, DocumentRecord record, CancellationToken cancellationToken = default)
    {
        Check(record);
        if (chunks is SqliteChunkReplacement replacement && replacement.Writes(database))
        {
            await replacement.CommitAsync(record, cancellationToken);
            return;
        }

        await chunks.CommitAsync(cancellationToken);
        await SaveAsync(record, cancellationToken);
    }

    public Task DeleteAsync(string documentId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(() => DeleteCoreAsync(documentId, cancellationToken));

    private async Task<DocumentRecord?> FindCoreAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM documents WHERE document_id = $document_id;";
        command.Parameters.AddWithValue("$document_id", documentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private async Task<IReadOnlyList<DocumentRecord>> ListCoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM documents ORDER BY source, document_id;";
        var records = new List<DocumentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    /// <summary>Inserts or replaces a record in <paramref name="transaction"/>, or on its own when it is null.</summary>
    internal static async Task SaveAsync(SqliteConnection connection, SqliteTransaction? transaction, DocumentRecord record, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO documents ({Columns})
            VALUES ($document_id, $source, $content_hash, $status, $chunks, $indexed_at, $groups, $error, $source_version, $origin, $chunking)
            ON CONFLICT (document_id) DO UPDATE SET
                source = excluded.source, content_hash = excluded.content_hash, status = excluded.status,
                chunks = excluded.chunks, indexed_at = excluded.indexed_at, groups = excluded.groups, error = excluded.error,
                source_version = excluded.source_version, origin = excluded.origin, chunking = excluded.chunking;
            """;
        command.Parameters.AddWithValue("$document_id", record.DocumentId);
        command.Parameters.AddWithValue("$source", DocumentIds.NormalizeSource(record.Source));
        command.Parameters.AddWithValue("$content_hash", record.ContentHash);
        command.Parameters.AddWithValue("$status", ToText(record.Status));
        command.Parameters.AddWithValue("$chunks", record.Chunks);
        command.Parameters.AddWithValue("$indexed_at", record.IndexedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$groups", GroupsJson.Serialize(record.Groups));
        command.Parameters.AddWithValue("$error", (object?)record.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$source_version", (object?)record.SourceVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("$origin", record.Origin.ToText());
        command.Parameters.AddWithValue("$chunking", (object?)record.Chunking ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Check(DocumentRecord record)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(record.DocumentId, nameof(record));
        ArgumentOutOfRangeException.ThrowIfNegative(record.Chunks, nameof(record));
    }

    private async Task SaveCoreAsync(DocumentRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await SaveAsync(connection, transaction: null, record, cancellationToken);
    }

    private async Task DeleteCoreAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM documents WHERE document_id = $document_id;";
        command.Parameters.AddWithValue("$document_id", documentId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DocumentRecord Read(SqliteDataReader reader) => new(
        DocumentId: reader.GetString(0),
        Source: reader.GetString(1),
        ContentHash: reader.GetString(2),
        Status: reader.GetString(3) switch
        {
            "indexed" => DocumentStatus.Indexed,
            "failed" => DocumentStatus.Failed,
            var other => throw new InvalidDataException($"Unknown document status '{other}' in the catalog."),
        },
        Chunks: reader.GetInt32(4),
        IndexedAt: DateTimeOffset.ParseExact(reader.GetString(5), "O", CultureInfo.InvariantCulture),
        Groups: GroupsJson.Parse(reader.GetString(6)),
        Error: reader.IsDBNull(7) ? null : reader.GetString(7),
        SourceVersion: reader.IsDBNull(8) ? null : reader.GetString(8),
        Origin: DocumentOrigin.Parse(reader.GetString(9)),
        Chunking: reader.IsDBNull(10) ? null : reader.GetString(10));

    private static string ToText(DocumentStatus status) => status switch
    {
        DocumentStatus.Indexed => "indexed",
        DocumentStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown document status."),
    };
}
