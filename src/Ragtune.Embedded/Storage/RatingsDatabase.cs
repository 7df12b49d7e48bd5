using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The embedded default's second SQLite file, <see cref="FileName"/> beside the index: what cannot be rebuilt from the
/// documents, the answers given and their ratings (the training data), the tuning runs and which fine-tuned model is
/// active. Kept apart from the index (<see cref="SqliteDatabase"/>), which can be rebuilt from the documents, so that a
/// damaged index cannot take them along and <c>ragtune reindex</c> leaves them; <c>ragtune backup</c> copies it.
/// One instance per file (a singleton).
/// </summary>
public sealed class RatingsDatabase : IDisposable
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "ratings.db";

    private readonly SqliteDatabase _file;

    public RatingsDatabase(IOptions<SqliteStorageOptions> options, ILogger<SqliteDatabase> logger) =>
        _file = new SqliteDatabase(options.Value, RatingsSchema.File, logger);

    /// <summary>The file's full path.</summary>
    public string FilePath => _file.FilePath;

    /// <inheritdoc cref="SqliteDatabase.OpenConnectionAsync"/>
    public Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        _file.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc cref="SqliteDatabase.OpenPrivateConnectionAsync"/>
    public Task<SqliteConnection> OpenPrivateConnectionAsync(CancellationToken cancellationToken = default) =>
        _file.OpenPrivateConnectionAsync(cancellationToken);

    /// <inheritdoc cref="SqliteDatabase.OpenAsync"/>
    public Task OpenAsync(CancellationToken cancellationToken = default) => _file.OpenAsync(cancellationToken);

    /// <inheritdoc cref="SqliteDatabase.Dispose"/>
    public void Dispose() => _file.Dispose();
}
