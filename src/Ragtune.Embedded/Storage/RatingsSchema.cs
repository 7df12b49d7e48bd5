using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The tables of <see cref="RatingsDatabase.FileName"/>, what cannot be rebuilt from the documents (answers, ratings,
/// tuning runs, the active model's history), and their move out of an index file of the earlier layout.
/// To add tables, append a migration with the next version; never edit one that has shipped.
/// </summary>
internal static class RatingsSchema
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "interactions, feedback, tuning runs and the active model's history", """
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

            -- One row per tuning run (id: export and method). record is the TuningRun as JSON; revision rises with every
            -- save, and a save that finds another revision is refused (two hosts never both advance a run).
            CREATE TABLE tuning_runs (
                run_id     TEXT PRIMARY KEY NOT NULL,
                created_at TEXT NOT NULL,
                revision   INTEGER NOT NULL,
                record     TEXT NOT NULL
            );
            CREATE INDEX tuning_runs_by_time ON tuning_runs (created_at);

            -- Every change of the active chat model, append-only; sequence 1, 2, 3, ... (a sequence taken twice is refused).
            CREATE TABLE model_changes (
                sequence INTEGER PRIMARY KEY NOT NULL,
                record   TEXT NOT NULL
            );
            """),
    ];

    public static SqliteFileSchema File { get; } = new(
        RatingsDatabase.FileName,
        "interactions",
        Migrations,
        "move it away and restore your latest `ragtune backup` in its place (README, \"Back up the ratings\")");

    /// <summary>
    /// Copies what an index file of the layout before ratings.db (schema 6 and older) holds that cannot be rebuilt from
    /// the documents, the answers and ratings and the tuning runs and model changes (schema 5 and 6), into the ratings
    /// file, in one transaction of the ratings file; the index's migration 7 then drops them. Safe to run again: a row
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
            command.CommandText = "SELECT name FROM old.sqlite_schema WHERE type = 'table';";
            var present = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    present.Add(reader.GetString(0));
                }
            }

            // Parents before children (feedback references interactions); a table the old file never had is skipped.
            var copies = MovedTables.Where(t => present.Contains(t.Table)).Select(t => string.Create(
                CultureInfo.InvariantCulture,
                $"INSERT OR IGNORE INTO main.{t.Table} ({t.Columns}) SELECT {t.Columns} FROM old.{t.Table};")).ToList();
            if (copies.Count > 0)
            {
                // Deferred: the first statement takes the write lock of ratings.db only; the index, whose migration holds
                // its write lock while this runs, is only read (IMMEDIATE would ask for both and wait on itself).
                await using var transaction = connection.BeginTransaction(deferred: true);
                command.Transaction = transaction;
                command.CommandText = string.Join('\n', copies);
                await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }

        await using var detach = connection.CreateCommand();
        detach.CommandText = "DETACH DATABASE old;";
        await detach.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The index's tables that move to the ratings file, with their columns, in the order they are copied.</summary>
    internal static IReadOnlyList<(string Table, string Columns)> MovedTables { get; } =
    [
        ("interactions", "answer_id, created_at, record"),
        ("feedback", "answer_id, rating, correction, comment, rated_at"),
        ("tuning_runs", "run_id, created_at, revision, record"),
        ("model_changes", "sequence, record"),
    ];
}
