using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The tables of <see cref="RatingsDatabase.FileName"/>, and the move of an index file's answers and ratings into it.
/// To add tables, append a migration with the next version; never edit one that has shipped.
/// </summary>
internal static class RatingsSchema
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "interactions and feedback", """
            -- One row per answer given. record is the Interaction as JSON (question, chunks as given, prompt as sent,
            -- answer, usage); created_at (ISO 8601 UTC) orders and ages them.
            CREATE TABLE interactions (
                answer_id  TEXT PRIMARY KEY NOT NULL,
                created_at TEXT NOT NULL,
                record     TEXT NOT NULL
            );
            CREATE INDEX interactions_by_time ON interactions (created_at);

            -- The current rating of an answer: one row per answer, replaced by a new rating (last write wins).
            -- rated_at (UTC, 'yyyy-MM-ddTHH:mm:ss.fffffffZ', so text order is time order) is the fine-tune export's
            -- watermark: each save stamps a time later than every earlier one, inside its write transaction, so ratings
            -- become visible in rated_at order.
            CREATE TABLE feedback (
                answer_id  TEXT PRIMARY KEY NOT NULL REFERENCES interactions (answer_id) ON DELETE CASCADE,
                rating     TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                correction TEXT,
                comment    TEXT,
                rated_at   TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX feedback_by_time ON feedback (rated_at);
            """),
    ];

    public static SqliteFileSchema File { get; } = new(
        RatingsDatabase.FileName,
        "interactions",
        Migrations,
        "move it away and restore your latest `ragtune backup` in its place (README, \"Back up the ratings\")");

    /// <summary>
    /// Copies the answers and ratings of an index file that still holds them (schema before the move) into the ratings
    /// file, in one transaction of the ratings file; the index's migration then drops them. Safe to run again: a row
    /// already copied is kept as it is.
    /// </summary>
    public static async Task CopyFromIndexAsync(
        SqliteStorageOptions settings, string indexPath, ILogger<SqliteDatabase> logger, CancellationToken cancellationToken)
    {
        using var ratings = new RatingsDatabase(Options.Create(settings), logger);
        await using var connection = await ratings.OpenPrivateConnectionAsync(cancellationToken);
        await using (var attach = connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $path AS old;";
            attach.Parameters.AddWithValue("$path", indexPath);
            await attach.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM old.sqlite_schema WHERE type = 'table' AND name IN ('interactions', 'feedback');";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 2)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT OR IGNORE INTO main.interactions (answer_id, created_at, record)
                        SELECT answer_id, created_at, record FROM old.interactions;
                    INSERT OR IGNORE INTO main.feedback (answer_id, rating, correction, comment, rated_at)
                        SELECT answer_id, rating, correction, comment, rated_at FROM old.feedback;
                    """;
                await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }

        await using var detach = connection.CreateCommand();
        detach.CommandText = "DETACH DATABASE old;";
        await detach.ExecuteNonQueryAsync(cancellationToken);
    }
}
