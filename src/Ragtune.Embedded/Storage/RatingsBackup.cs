using Microsoft.Data.Sqlite;

namespace Ragtune.Embedded.Storage;

/// <summary>What a backup of the ratings file holds.</summary>
/// <param name="FilePath">The backup's full path.</param>
/// <param name="Answers">Answers (interactions) in it.</param>
/// <param name="Ratings">Rated answers in it.</param>
/// <param name="Bytes">Its size.</param>
public sealed record RatingsBackupResult(string FilePath, long Answers, long Ratings, long Bytes)
{
    /// <summary>Tuning runs in it.</summary>
    public long TuningRuns { get; init; }

    /// <summary>Changes of the active model in it (the last one says which model is active).</summary>
    public long ModelChanges { get; init; }
}

/// <summary>
/// <c>ragtune backup</c>: a copy of the ratings file (answers, ratings, tuning runs, the active model's history) made with SQLite's online backup API, in one step, so it is the file
/// as one committed version while <c>ragtune serve</c> goes on writing (WAL: the copy reads a snapshot, writers do not wait).
/// The copy is written beside the target, checked (<c>PRAGMA quick_check</c>), and only then takes the target's name.
/// </summary>
public static class RatingsBackup
{
    public static async Task<RatingsBackupResult> WriteAsync(RatingsDatabase ratings, string outFile, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(outFile);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            await using (var source = await ratings.OpenPrivateConnectionAsync(cancellationToken))
            await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await destination.OpenAsync(cancellationToken);
                source.BackupDatabase(destination);
            }

            var counts = await VerifyAsync(partial, cancellationToken);
            File.Move(partial, target, overwrite: true);
            return new RatingsBackupResult(target, counts[0], counts[1], new FileInfo(target).Length)
            {
                TuningRuns = counts[2],
                ModelChanges = counts[3],
            };
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Checks the copy and counts its answers, rated answers, tuning runs and model changes.</summary>
    private static async Task<long[]> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        if (await command.ExecuteScalarAsync(cancellationToken) is not "ok")
        {
            throw new IOException($"The backup written to {path} does not pass SQLite's quick_check: the disk may be failing.");
        }

        command.CommandText = """
            SELECT (SELECT count(*) FROM interactions), (SELECT count(*) FROM feedback),
                   (SELECT count(*) FROM tuning_runs), (SELECT count(*) FROM model_changes);
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return [reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)];
    }
}
