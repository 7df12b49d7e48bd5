using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ragtune.Embedded.Storage;

/// <summary>One table of a full integrity check: its rows, and what SQLite found wrong (none when it is sound).</summary>
/// <param name="Table">The table's name.</param>
/// <param name="Rows">Its row count, or null when the rows could not be counted.</param>
/// <param name="Problems">SQLite's integrity_check messages for the table and its indexes.</param>
public sealed record TableCheck(string Table, long? Rows, IReadOnlyList<string> Problems)
{
    public bool IsSound => Problems.Count == 0;
}

/// <summary>The full integrity check of one database file of a data folder.</summary>
/// <param name="FilePath">The file's full path.</param>
/// <param name="Exists">False when the folder has no such file yet (nothing to check).</param>
/// <param name="SchemaVersion">Its schema version.</param>
/// <param name="Tables">Each table's result.</param>
/// <param name="Remedy">What to do when it is damaged.</param>
public sealed record StoreFileCheck(string FilePath, bool Exists, int SchemaVersion, IReadOnlyList<TableCheck> Tables, string Remedy)
{
    public bool IsSound => Tables.All(t => t.IsSound);
}

/// <summary>
/// Tells whether a database file of the embedded store can be used, before anything writes to it: a SQLite file (its
/// header), Ragtune's (its marker table), a schema version this Ragtune knows, and sound (<c>PRAGMA quick_check</c>).
/// <see cref="CheckAsync"/> is <c>ragtune check</c>: the full <c>integrity_check</c>, table by table.
/// </summary>
public static class SqliteStoreCheck
{
    private const int Corrupt = 11;
    private const int NotADb = 26;

    /// <summary>The full integrity check of every database file in <paramref name="dataDirectory"/>.</summary>
    /// <exception cref="StoreUnusableException">A file is not a Ragtune database, is too new, or too damaged to list its tables.</exception>
    public static async Task<IReadOnlyList<StoreFileCheck>> CheckAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        var results = new List<StoreFileCheck>();
        foreach (var schema in new[] { SqliteFileSchema.Index, RatingsSchema.File })
        {
            results.Add(await CheckFileAsync(Path.GetFullPath(Path.Combine(dataDirectory, schema.FileName)), schema, cancellationToken));
        }

        return results;
    }

    /// <summary>Throws when the file cannot be used; returns when it is absent, empty or sound.</summary>
    internal static Task VerifyAsync(string filePath, SqliteFileSchema schema, CancellationToken cancellationToken) =>
        InspectAsync(filePath, schema, async (connection, _) =>
        {
            var problems = await ReadLinesAsync(connection, "PRAGMA quick_check;", cancellationToken);
            if (problems is not ["ok"])
            {
                throw Damaged(filePath, schema, problems[0]);
            }

            return true;
        }, cancellationToken);

    internal static StoreUnusableException Damaged(string filePath, SqliteFileSchema schema, string finding, Exception? innerException = null) =>
        new(filePath, StoreProblem.Damaged, $"{filePath} is damaged ({OneLine(finding)}): {schema.Remedy}.", innerException);

    /// <summary>True for SQLite's "file is not a database" and "database disk image is malformed".</summary>
    internal static bool IsDamage(SqliteException exception) => exception.SqliteErrorCode is Corrupt or NotADb;

    private static async Task<StoreFileCheck> CheckFileAsync(string filePath, SqliteFileSchema schema, CancellationToken cancellationToken)
    {
        var result = await InspectAsync(filePath, schema, async (connection, version) =>
        {
            var tables = new List<TableCheck>();
            foreach (var table in await ReadLinesAsync(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name;", cancellationToken))
            {
                var quoted = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                List<string> problems;
                try
                {
                    problems = await ReadLinesAsync(connection, $"PRAGMA integrity_check({quoted});", cancellationToken);
                }
                catch (SqliteException exception) when (IsDamage(exception))
                {
                    // Damage the check itself trips over: the table is hit, and no finer finding is to be had.
                    problems = [OneLine(exception.Message)];
                }

                long? rows = null;
                try
                {
                    rows = Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM {quoted};", cancellationToken), CultureInfo.InvariantCulture);
                }
                catch (SqliteException exception) when (IsDamage(exception) || exception.SqliteErrorCode == 1)
                {
                    // A damaged table, or a virtual table whose module cannot count: the integrity check says which.
                }

                tables.Add(new TableCheck(table, rows, problems is ["ok"] ? [] : problems));
            }

            return new StoreFileCheck(filePath, Exists: true, version, tables, schema.Remedy);
        }, cancellationToken);
        return result ?? new StoreFileCheck(filePath, Exists: false, 0, [], schema.Remedy);
    }

    /// <summary>
    /// Opens the file read-only and runs <paramref name="inspect"/> once it is known to be one of ours at a version this
    /// Ragtune knows; returns default when the file is absent or empty (SQLite makes a new database of it).
    /// </summary>
    private static async Task<T?> InspectAsync<T>(
        string filePath, SqliteFileSchema schema, Func<SqliteConnection, int, Task<T>> inspect, CancellationToken cancellationToken)
    {
        var file = new FileInfo(filePath);
        if (!file.Exists || file.Length == 0)
        {
            return default;
        }

        if (!await HasSqliteHeaderAsync(filePath, cancellationToken))
        {
            throw new StoreUnusableException(
                filePath, StoreProblem.NotADatabase,
                $"{filePath} is not a Ragtune database (not a SQLite file at all): move it away, or use another data folder (--data).");
        }

        try
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = filePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            await using var connection = new SqliteConnection(connectionString.ToString());
            await connection.OpenAsync(cancellationToken);
            var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
            var tables = await ReadLinesAsync(connection, "SELECT name FROM sqlite_schema WHERE type = 'table';", cancellationToken);
            if (!tables.Contains(schema.MarkerTable) && (tables.Count > 0 || version != 0))
            {
                throw new StoreUnusableException(
                    filePath, StoreProblem.NotRagtune,
                    $"{filePath} is not a Ragtune database (a SQLite file without Ragtune's tables): move it away, or use another data folder (--data).");
            }

            if (version > schema.LatestVersion)
            {
                throw new StoreUnusableException(
                    filePath, StoreProblem.NewerSchema,
                    $"{filePath} has schema version {version}, newer than this Ragtune knows ({schema.LatestVersion}): upgrade Ragtune, or use another data folder (--data).");
            }

            return await inspect(connection, version);
        }
        catch (SqliteException exception) when (IsDamage(exception))
        {
            throw Damaged(filePath, schema, exception.Message, exception);
        }
    }

    private static async Task<bool> HasSqliteHeaderAsync(string filePath, CancellationToken cancellationToken)
    {
        var header = "SQLite format 3\0"u8.ToArray();
        var read = new byte[header.Length];
        await using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await stream.ReadAtLeastAsync(read, read.Length, throwOnEndOfStream: false, cancellationToken) == read.Length
            && read.AsSpan().SequenceEqual(header);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<List<string>> ReadLinesAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
