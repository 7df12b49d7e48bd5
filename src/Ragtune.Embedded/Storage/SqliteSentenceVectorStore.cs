using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The sentence vectors in the embedded default's SQLite file (table <c>sentence_vectors</c>, one row per document and
/// sentence hash). <see cref="SqliteChunkWriter"/> removes a document's rows with its chunks, and at a replacement's commit
/// those the replacement did not stamp. SQLite lock timeouts surface as <see cref="Ragtune.Core.DependencyUnavailableException"/>.
/// </summary>
public sealed class SqliteSentenceVectorStore(SqliteDatabase database) : ISentenceVectorStore
{
    public Task<IReadOnlyDictionary<SentenceKey, float[]>> FindAsync(IReadOnlyCollection<SentenceKey> keys, CancellationToken cancellationToken = default) =>
        keys.Count == 0
            ? Task.FromResult<IReadOnlyDictionary<SentenceKey, float[]>>(new Dictionary<SentenceKey, float[]>())
            : SqliteFailures.TranslateAsync(() => FindCoreAsync(keys, cancellationToken));

    public Task SaveAsync(IReadOnlyList<(SentenceKey Key, float[] Vector)> vectors, long? generation, CancellationToken cancellationToken = default) =>
        vectors.Count == 0 ? Task.CompletedTask : SqliteFailures.TranslateAsync(() => SaveCoreAsync(vectors, generation, cancellationToken));

    private async Task<IReadOnlyDictionary<SentenceKey, float[]>> FindCoreAsync(IReadOnlyCollection<SentenceKey> keys, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.document_id, s.hash, s.vector
            FROM json_each($keys) AS k
            JOIN sentence_vectors AS s ON s.document_id = json_extract(k.value, '$[0]') AND s.hash = json_extract(k.value, '$[1]');
            """;
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys.Select(key => new[] { key.DocumentId, key.Hash })));
        var found = new Dictionary<SentenceKey, float[]>(keys.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[new SentenceKey(reader.GetString(0), reader.GetString(1))] = VectorEncoding.FromBlob(reader.GetFieldValue<byte[]>(2));
        }

        return found;
    }

    private async Task SaveCoreAsync(IReadOnlyList<(SentenceKey Key, float[] Vector)> vectors, long? generation, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO sentence_vectors (document_id, hash, vector, generation) VALUES ($document_id, $hash, $vector, $generation) "
            + (generation is null ? "ON CONFLICT DO NOTHING;" : "ON CONFLICT (document_id, hash) DO UPDATE SET generation = excluded.generation;");
        var documentId = command.Parameters.Add("$document_id", SqliteType.Text);
        var hash = command.Parameters.Add("$hash", SqliteType.Text);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        command.Parameters.AddWithValue("$generation", generation ?? 0);
        foreach (var (key, values) in vectors)
        {
            documentId.Value = key.DocumentId;
            hash.Value = key.Hash;
            vector.Value = VectorEncoding.ToBlob(values);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
