using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The index's version (bumped by every change) and its number of chunks, as one read transaction sees them: the row
/// of <c>chunk_index_state</c>. The in-memory vectors and the file agree when their versions do.
/// </summary>
internal readonly record struct ChunkIndexState(long Version, long Chunks)
{
    public static async Task<ChunkIndexState> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, chunks FROM chunk_index_state WHERE id = 1;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChunkIndexState(reader.GetInt64(0), reader.GetInt64(1))
            : throw new InvalidDataException("The chunk index state row is missing.");
    }

    /// <summary>Records a change of <paramref name="chunkDelta"/> rows and returns the index's new version.</summary>
    public static async Task<long> BumpAsync(SqliteConnection connection, SqliteTransaction transaction, int chunkDelta, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE chunk_index_state SET version = version + 1, chunks = chunks + $delta WHERE id = 1 RETURNING version;";
        command.Parameters.AddWithValue("$delta", chunkDelta);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
