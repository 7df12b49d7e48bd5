using Microsoft.Data.Sqlite;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>A chunk checked and ready to write: canonical source and groups, unit-length vector.</summary>
internal sealed record PendingChunk(IndexChunk Chunk, string Source, string GroupsJson, float[] Vector);

/// <summary>
/// A new version of one document's chunks. Each batch is checked and written at once to a temporary table of the
/// replacement's own connection, which SQLite keeps in a temporary file: memory does not grow with the document, no
/// write lock is held while the caller embeds the next batch, and a replacement disposed without committing (or cut
/// short with its process) leaves nothing behind, since the table goes with the connection. <see cref="CommitAsync(DocumentRecord?, CancellationToken)"/>
/// moves the staged chunks into the index in one short transaction, with the document's catalog record when given.
/// With a <paramref name="sentences"/> indexer, each batch's sentence vectors are computed as it is staged, stamped
/// with this replacement's generation.
/// </summary>
internal sealed class SqliteChunkReplacement(SqliteChunkWriter writer, SqliteDatabase database, string documentId, IChunkSentenceIndexer? sentences = null)
    : IChunkReplacement
{
    private const int ConstraintFailed = 19;

    private static readonly string[] StageParameters =
        ["$ordinal", "$chunk_id", "$source", "$page", "$groups", "$content_hash", "$text", "$vector", "$section", "$last_page"];

    // Never 0, the generation of vectors computed for answers.
    private readonly long _generation = Random.Shared.NextInt64(1, long.MaxValue);
    private SqliteConnection? _staging;
    private int _staged;
    private int _dimensions;
    private bool _committed;
    private bool _disposed;

    public async Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        cancellationToken.ThrowIfCancellationRequested();

        var batch = new List<PendingChunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            batch.Add(Check(chunk, batch.Count > 0 ? batch[0].Vector.Length : _dimensions));
        }

        if (batch.Count == 0)
        {
            return;
        }

        if (sentences is not null)
        {
            await sentences.IndexAsync(documentId, _generation, chunks, cancellationToken);
        }

        _staging ??= await OpenStagingAsync(cancellationToken);
        await SqliteFailures.TranslateAsync(() => StageAsync(_staging, batch, cancellationToken));
        _dimensions = batch[0].Vector.Length;
        _staged += batch.Count;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => CommitAsync(record: null, cancellationToken);

    /// <summary>
    /// Commits the chunks and saves <paramref name="record"/> (unless null) in the catalog of the same database, in the
    /// same transaction (<see cref="SqliteDocumentCatalog.CommitAsync"/>): a failure leaves neither.
    /// </summary>
    public async Task CommitAsync(DocumentRecord? record, CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        if (record is not null && record.DocumentId != documentId)
        {
            throw new ArgumentException($"The record of document {record.DocumentId} cannot be committed with the chunks of {documentId}.", nameof(record));
        }

        await writer.CommitReplacementAsync(documentId, _generation, _staging, _staged, _dimensions, record, cancellationToken);
        _committed = true;
        await CloseStagingAsync();
    }

    /// <summary>True when this replacement writes to the file of <paramref name="other"/>.</summary>
    public bool Writes(SqliteDatabase other) => string.Equals(database.FilePath, other.FilePath, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseStagingAsync();
    }

    /// <summary>
    /// A connection of this replacement's own with an empty temporary table for its chunks, in a temporary file
    /// (<c>temp_store = FILE</c>) so that SQLite holds no more than its page cache of it in memory.
    /// </summary>
    private async Task<SqliteConnection> OpenStagingAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenPrivateConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            // The chunks table's columns (but the document's id, one for all, and the row id, given at commit), with
            // keys that refuse an ordinal or a chunk id added twice.
            command.CommandText = """
                PRAGMA temp_store = FILE;
                CREATE TEMP TABLE staged_chunks AS
                    SELECT ordinal, chunk_id, source, page, groups, content_hash, text, vector, section, last_page FROM main.chunks WHERE 0;
                CREATE UNIQUE INDEX temp.staged_chunks_by_ordinal ON staged_chunks (ordinal);
                CREATE UNIQUE INDEX temp.staged_chunks_by_chunk_id ON staged_chunks (chunk_id);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a checked batch in one transaction of the temporary database only (the index's file is not locked); all or nothing.</summary>
    private async Task StageAsync(SqliteConnection staging, List<PendingChunk> batch, CancellationToken cancellationToken)
    {
        // Deferred: an immediate transaction would take the index file's write lock too.
        await using var transaction = staging.BeginTransaction(deferred: true);
        await using var insert = staging.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO temp.staged_chunks (ordinal, chunk_id, source, page, groups, content_hash, text, vector, section, last_page)
            VALUES ($ordinal, $chunk_id, $source, $page, $groups, $content_hash, $text, $vector, $section, $last_page);
            """;
        var parameters = StageParameters.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        foreach (var pending in batch)
        {
            var chunk = pending.Chunk;
            parameters[0].Value = chunk.Ordinal;
            parameters[1].Value = chunk.ChunkId;
            parameters[2].Value = pending.Source;
            parameters[3].Value = chunk.Page;
            parameters[4].Value = pending.GroupsJson;
            parameters[5].Value = chunk.ContentHash;
            parameters[6].Value = chunk.Text;
            parameters[7].Value = VectorEncoding.ToBlob(pending.Vector);
            parameters[8].Value = chunk.Section;
            parameters[9].Value = chunk.LastPage;
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException exception) when (exception.SqliteErrorCode == ConstraintFailed)
            {
                // The transaction is rolled back on dispose: the batches before stay as they were.
                throw exception.Message.Contains("chunk_id", StringComparison.Ordinal)
                    ? new ArgumentException($"Chunk id '{chunk.ChunkId}' is added twice.", nameof(batch), exception)
                    : new ArgumentException($"Ordinal {chunk.Ordinal} of document {documentId} is added twice.", nameof(batch), exception);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async ValueTask CloseStagingAsync()
    {
        if (_staging is { } staging)
        {
            _staging = null;
            await staging.DisposeAsync();
        }
    }

    private PendingChunk Check(IndexChunk chunk, int dimensions)
    {
        chunk.EnsureWritableAs(documentId);

        var vector = VectorEncoding.Normalize(chunk.Vector.Span, $"vector of chunk {chunk.ChunkId}");
        if (dimensions != 0 && vector.Length != dimensions)
        {
            throw new ArgumentException(
                $"Chunk {chunk.ChunkId} has a vector of {vector.Length} dimensions; the document's other chunks have {dimensions}.", nameof(chunk));
        }

        return new PendingChunk(chunk, DocumentIds.NormalizeSource(chunk.Source), GroupsJson.Serialize(chunk.Groups), vector);
    }

    private void ThrowIfFinished()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException($"The replacement of document {documentId} is already committed.");
        }
    }
}
