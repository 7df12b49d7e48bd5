using System.Globalization;
using Microsoft.Data.Sqlite;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Tuning runs and the active model's history in the embedded default's ratings file (<see cref="RatingsDatabase"/>, not
/// the index: they cannot be rebuilt from the documents, and <c>ragtune reindex</c> sets the index aside): tables <c>tuning_runs</c> (each
/// run whole as JSON, with a revision checked on every save) and <c>model_changes</c> (append-only). Both hosts of a
/// data folder (<c>ragtune serve</c>, <c>ragtune tune</c>) read the same rows.
/// </summary>
public sealed class SqliteTuningRunStore(RatingsDatabase database) : ITuningRunStore
{
    private const int ConstraintViolation = 19;

    public Task<TuningRun?> FindAsync(string runId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            return await FindAsync(connection, runId, cancellationToken);
        });

    public Task<TuningRun> CreateAsync(TuningRun run, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO tuning_runs (run_id, created_at, revision, record) VALUES ($run_id, $created_at, 1, $record)
                ON CONFLICT (run_id) DO NOTHING;
                """;
            command.Parameters.AddWithValue("$run_id", run.RunId);
            command.Parameters.AddWithValue("$created_at", run.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$record", TuningJson.Serialize(run));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return (await FindAsync(connection, run.RunId, cancellationToken))!;
        });

    public Task<TuningRun> UpdateAsync(TuningRun run, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tuning_runs SET revision = revision + 1, record = $record WHERE run_id = $run_id AND revision = $revision;";
            command.Parameters.AddWithValue("$run_id", run.RunId);
            command.Parameters.AddWithValue("$revision", run.Revision);
            command.Parameters.AddWithValue("$record", TuningJson.Serialize(run));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1
                ? run with { Revision = run.Revision + 1 }
                : throw new TuningRunConflictException($"Tuning run {run.RunId}");
        });

    public Task<IReadOnlyList<TuningRun>> ListAsync(CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync<IReadOnlyList<TuningRun>>(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT record, revision FROM tuning_runs ORDER BY created_at DESC, run_id DESC;";
            var runs = new List<TuningRun>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(TuningJson.DeserializeRun(reader.GetString(0), reader.GetInt32(1)));
            }

            return runs;
        });

    public Task<IReadOnlyList<ModelChange>> ReadModelChangesAsync(CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync<IReadOnlyList<ModelChange>>(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT record FROM model_changes ORDER BY sequence;";
            var changes = new List<ModelChange>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changes.Add(TuningJson.DeserializeChange(reader.GetString(0)));
            }

            return changes;
        });

    public Task AppendModelChangeAsync(ModelChange change, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();

            // Only the next sequence: one more than the last (1 for the first), and not taken.
            command.CommandText = """
                INSERT INTO model_changes (sequence, record)
                SELECT $sequence, $record WHERE $sequence = (SELECT coalesce(max(sequence), 0) + 1 FROM model_changes);
                """;
            command.Parameters.AddWithValue("$sequence", change.Sequence);
            command.Parameters.AddWithValue("$record", TuningJson.Serialize(change));
            try
            {
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return;
                }
            }
            catch (SqliteException exception) when (exception.SqliteErrorCode == ConstraintViolation)
            {
                throw new TuningRunConflictException($"Model change {change.Sequence}", exception);
            }

            throw new TuningRunConflictException($"Model change {change.Sequence}");
        });

    private static async Task<TuningRun?> FindAsync(SqliteConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record, revision FROM tuning_runs WHERE run_id = $run_id;";
        command.Parameters.AddWithValue("$run_id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? TuningJson.DeserializeRun(reader.GetString(0), reader.GetInt32(1)) : null;
    }
}
