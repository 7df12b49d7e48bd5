using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Answers and their ratings in the embedded default's ratings file (<see cref="RatingsDatabase"/>): table <c>interactions</c>, each interaction stored
/// whole as JSON, and table <c>feedback</c>, an answer's current rating. SQLite lock timeouts surface as
/// <see cref="Core.DependencyUnavailableException"/>.
/// </summary>
public sealed class SqliteInteractionStore(RatingsDatabase database) : IInteractionStore
{
    /// <summary>Fixed width, so that the text order of <c>rated_at</c> is its time order.</summary>
    private const string WatermarkFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Answers deleted per write transaction by retention.</summary>
    private const int DeleteBatchSize = 500;

    public Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO interactions (answer_id, created_at, record) VALUES ($answer_id, $created_at, $record);";
            command.Parameters.AddWithValue("$answer_id", interaction.AnswerId);
            command.Parameters.AddWithValue("$created_at", interaction.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$record", JsonSerializer.Serialize(interaction, RagtuneJson.Options));
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT record FROM interactions WHERE answer_id = $answer_id;";
            command.Parameters.AddWithValue("$answer_id", answerId);
            return await command.ExecuteScalarAsync(cancellationToken) is string json ? Read(json) : null;
        });

    public Task<AnswerFeedback?> SaveFeedbackAsync(AnswerFeedback feedback, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);

            // IMMEDIATE: the write lock is held from the first statement, so stamps are taken in commit order.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT EXISTS (SELECT 1 FROM interactions WHERE answer_id = $answer_id), (SELECT max(rated_at) FROM feedback);";
            command.Parameters.AddWithValue("$answer_id", feedback.AnswerId);
            DateTimeOffset? newest;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                if (reader.GetInt64(0) == 0)
                {
                    return null;
                }

                newest = reader.IsDBNull(1) ? null : ParseWatermark(reader.GetString(1));
            }

            var ratedAt = feedback.RatedAt.ToUniversalTime();
            if (newest is { } last && ratedAt <= last)
            {
                ratedAt = last.AddTicks(1);
            }

            command.CommandText = """
                INSERT INTO feedback (answer_id, rating, correction, comment, rated_at)
                VALUES ($answer_id, $rating, $correction, $comment, $rated_at)
                ON CONFLICT (answer_id) DO UPDATE SET
                    rating = excluded.rating, correction = excluded.correction, comment = excluded.comment, rated_at = excluded.rated_at;
                """;
            command.Parameters.AddWithValue("$rating", feedback.Rating == FeedbackRating.Up ? "up" : "down");
            command.Parameters.AddWithValue("$correction", (object?)feedback.Correction ?? DBNull.Value);
            command.Parameters.AddWithValue("$comment", (object?)feedback.Comment ?? DBNull.Value);
            command.Parameters.AddWithValue("$rated_at", FormatWatermark(ratedAt));
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return feedback with { RatedAt = ratedAt };
        });

    public Task<DateTimeOffset?> GetFeedbackWatermarkAsync(CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT max(rated_at) FROM feedback;";
            return await command.ExecuteScalarAsync(cancellationToken) is string newest ? ParseWatermark(newest) : (DateTimeOffset?)null;
        });

    public async IAsyncEnumerable<RatedInteraction> ReadRatedAsync(DateTimeOffset upTo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One statement reads one snapshot of the file (WAL), row by row: nothing is held but the current row.
        await using var connection = await SqliteFailures.TranslateAsync(() => database.OpenConnectionAsync(cancellationToken));
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT f.answer_id, f.rating, f.correction, f.comment, f.rated_at, i.record
            FROM feedback AS f JOIN interactions AS i ON i.answer_id = f.answer_id
            WHERE f.rated_at <= $up_to
            ORDER BY f.answer_id;
            """;
        command.Parameters.AddWithValue("$up_to", FormatWatermark(upTo.ToUniversalTime()));
        await using var reader = await SqliteFailures.TranslateAsync(() => command.ExecuteReaderAsync(cancellationToken));
        while (await SqliteFailures.TranslateAsync(() => reader.ReadAsync(cancellationToken)))
        {
            var feedback = new AnswerFeedback(
                reader.GetString(0),
                reader.GetString(1) == "up" ? FeedbackRating.Up : FeedbackRating.Down,
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                ParseWatermark(reader.GetString(4)));
            yield return new RatedInteraction(Read(reader.GetString(5)), feedback);
        }
    }

    public async Task<int> DeleteRecordedBeforeAsync(DateTimeOffset recordedBefore, DateTimeOffset? exportedUpTo, CancellationToken cancellationToken = default)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await SqliteFailures.TranslateAsync(() => DeleteBatchAsync(recordedBefore, exportedUpTo, cancellationToken));
            total += deleted;
        }
        while (deleted == DeleteBatchSize);

        return total;
    }

    /// <summary>One short write: a batch of the oldest expired answers; their feedback goes with them (ON DELETE CASCADE).</summary>
    private async Task<int> DeleteBatchAsync(DateTimeOffset recordedBefore, DateTimeOffset? exportedUpTo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            DELETE FROM interactions WHERE answer_id IN (
                SELECT i.answer_id FROM interactions AS i
                WHERE i.created_at < $recorded_before
                  AND NOT EXISTS (SELECT 1 FROM feedback AS f WHERE f.answer_id = i.answer_id AND ($exported_up_to IS NULL OR f.rated_at > $exported_up_to))
                ORDER BY i.created_at
                LIMIT {DeleteBatchSize});
            """;
        command.Parameters.AddWithValue("$recorded_before", recordedBefore.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$exported_up_to", exportedUpTo is { } exported ? FormatWatermark(exported.ToUniversalTime()) : DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string FormatWatermark(DateTimeOffset value) => value.UtcDateTime.ToString(WatermarkFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseWatermark(string value) =>
        DateTimeOffset.ParseExact(value, WatermarkFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static Interaction Read(string json) =>
        JsonSerializer.Deserialize<Interaction>(json, RagtuneJson.Options)
        ?? throw new InvalidDataException("An interaction record is empty.");
}
