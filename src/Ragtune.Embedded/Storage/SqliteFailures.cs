using Microsoft.Data.Sqlite;
using Ragtune.Core;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Translates SQLite's "another connection holds the lock" failures, which outlast the busy timeout only when another
/// process writes for a long time, into <see cref="DependencyUnavailableException"/>: trying again later can help; and
/// "database or disk is full" into <see cref="StorageFullException"/> (the transaction that hit it is rolled back).
/// </summary>
internal static class SqliteFailures
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int Full = 13;

    public static async Task<T> TranslateAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is Busy or Locked)
        {
            throw new DependencyUnavailableException("storage", DependencyFailure.Timeout, innerException: exception);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == Full)
        {
            throw new StorageFullException(exception);
        }
    }

    public static Task TranslateAsync(Func<Task> operation) =>
        TranslateAsync(async () =>
        {
            await operation();
            return true;
        });
}
