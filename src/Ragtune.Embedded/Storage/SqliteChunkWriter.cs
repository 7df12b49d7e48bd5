using Microsoft.Data.Sqlite;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The chunk index's writes: a document's removal and a replacement's commit, each one transaction that bumps the index
/// version and, through <see cref="SqliteVectorCache"/>, makes the same change to the vectors in memory; the document's
/// sentence vectors (<see cref="SqliteSentenceVectorStore"/>) go with its chunks in the same transaction. One at a time;
/// SQLite lock timeouts surface as <see cref="Ragtune.Core.DependencyUnavailableException"/>.
/// </summary>
internal sealed class SqliteChunkWriter(SqliteDatabase database, SqliteVectorCache vectors)
{
    /// <summary>Removes every chunk of a document; a document with none leaves the version as it is.</summary>
    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) =>
        SqliteFailures.TranslateAsync(() => vectors.WriteAsync(() => DeleteAsync(documentId, cancellationToken), cancellationToken));

    /// <summary>
    /// Moves a replacement's staged chunks into the index in one transaction, removing every chunk of the document's
    /// previous version and the sentence vectors not stamped with the replacement's <paramref name="generation"/>, and
    /// saves the document's catalog <paramref name="record"/> (unless null) in the same transaction.
    /// <paramref name="staging"/> is the replacement's connection, whose temporary table holds the
    /// <paramref name="staged"/> chunks (none when null) of <paramref name="dimensions"/> dimensions.
    /// </summary>
    public Task CommitReplacementAsync(
        string documentId, long generation, SqliteConnection? staging, int staged, int dimensions, DocumentRecord? record, CancellationToken cancellationToken) =>
        SqliteFailures.TranslateAsync(() => vectors.WriteAsync(
            () => ReplaceAsync(documentId, generation, staging, staged, dimensions, record, cancellationToken), cancellationToken));

    private async Task<VectorChange?> DeleteAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await DeleteSentencesAsync(connection, transaction, documentId, keepGeneration: null, cancellationToken);
        var deleted = await DeleteChunksAsync(connection, transaction, documentId, cancellationToken);
        if (deleted == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var version = await ChunkIndexState.BumpAsync(connection, transaction, -deleted, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new VectorChange(version, snapshot => snapshot.WithoutDocument(version, documentId));
    }

    private async Task<VectorChange?> ReplaceAsync(
        string documentId, long generation, SqliteConnection? staging, int staged, int dimensions, DocumentRecord? record, CancellationToken cancellationToken)
    {
        await using var pooled = staging is null ? await database.OpenConnectionAsync(cancellationToken) : null;
        var connection = staging ?? pooled!;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await CheckDimensionsAsync(connection, transaction, documentId, dimensions, cancellationToken);
        await DeleteSentencesAsync(connection, transaction, documentId, generation, cancellationToken);
        var deleted = await DeleteChunksAsync(connection, transaction, documentId, cancellationToken);
        VectorSegmentBuilder? rows = null;
        if (staged > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO chunks (chunk_id, document_id, ordinal, source, page, groups, content_hash, text, vector, section, last_page)
                SELECT chunk_id, $document_id, ordinal, source, page, groups, content_hash, text, vector, section, last_page
                FROM temp.staged_chunks ORDER BY ordinal;
                """;
            insert.Parameters.AddWithValue("$document_id", documentId);
            var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
            if (inserted != staged)
            {
                throw new InvalidOperationException($"{staged} chunks of document {documentId} were staged, but {inserted} were found to commit.");
            }

            // The in-memory vectors take the new rows only once they are loaded (after a search); until then, the
            // next search reads them from the file with all the others.
            if (vectors.IsLoaded)
            {
                insert.CommandText = "SELECT id, document_id, source, groups, vector FROM chunks WHERE document_id = $document_id ORDER BY id;";
                rows = await SqliteVectorCache.ReadRowsAsync(insert, dimensions, staged, cancellationToken);
            }
        }

        var version = await ChunkIndexState.BumpAsync(connection, transaction, staged - deleted, cancellationToken);
        if (record is not null)
        {
            await SqliteDocumentCatalog.SaveAsync(connection, transaction, record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new VectorChange(
            version, snapshot => rows is null ? snapshot.WithoutDocument(version, documentId) : snapshot.WithDocument(version, documentId, rows));
    }

    private static async Task CheckDimensionsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string documentId, int dimensions, CancellationToken cancellationToken)
    {
        if (dimensions == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT length(vector) / 4 FROM chunks WHERE document_id <> $document LIMIT 1;";
        command.Parameters.AddWithValue("$document", documentId);
        if (await command.ExecuteScalarAsync(cancellationToken) is long existing && existing != dimensions)
        {
            throw new InvalidOperationException(
                $"Document {documentId} has vectors of {dimensions} dimensions, but the index holds vectors of {existing}: "
                + "an index serves one embedding model. Delete the data directory's database and ingest again to change models.");
        }
    }

    /// <summary>Removes a document's sentence vectors: all of them, or those not of <paramref name="keepGeneration"/>.</summary>
    private static async Task DeleteSentencesAsync(
        SqliteConnection connection, SqliteTransaction transaction, string documentId, long? keepGeneration, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM sentence_vectors WHERE document_id = $document AND generation IS NOT $generation;";
        command.Parameters.AddWithValue("$document", documentId);
        command.Parameters.AddWithValue("$generation", (object?)keepGeneration ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> DeleteChunksAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM chunks WHERE document_id = $document;";
        command.Parameters.AddWithValue("$document", documentId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
