using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// One SQLite file of the embedded default (the index, or <see cref="RatingsDatabase"/>'s file): opens connections with the pragmas every connection needs, and brings the
/// schema up to date once, on the first open. One instance per file (a singleton); every store in the file shares it.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly string _connectionString;
    private readonly string _privateConnectionString;
    private readonly string _connectionPragmas;
    private readonly SqliteFileSchema _schema;
    private readonly SqliteStorageOptions _settings;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private volatile bool _initialized;

    /// <summary>The index file, <see cref="SqliteStorageOptions.DatabaseFileName"/>.</summary>
    public SqliteDatabase(IOptions<SqliteStorageOptions> options, ILogger<SqliteDatabase> logger)
        : this(options.Value, SqliteFileSchema.Index, logger)
    {
    }

    internal SqliteDatabase(SqliteStorageOptions settings, SqliteFileSchema schema, ILogger<SqliteDatabase> logger)
    {
        _logger = logger;
        _schema = schema;
        _settings = settings;
        FilePath = Path.GetFullPath(Path.Combine(settings.DataDirectory, schema.FileName));
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(settings.BusyTimeout.TotalSeconds),
        };
        _connectionString = connectionString.ToString();
        connectionString.Pooling = false;
        _privateConnectionString = connectionString.ToString();
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)settings.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>The database file's full path.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Opens a connection (pooled) with foreign keys on, a busy timeout and WAL journaling, creating the file and
    /// migrating its schema on the first call. The caller disposes it.
    /// </summary>
    public Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        OpenInitializedAsync(_connectionString, cancellationToken);

    /// <summary>
    /// Opens a connection of the caller's own, outside the pool, for work that keeps state in the connection (temporary
    /// tables): closing it discards that state, and no pooled connection ever carries it. The caller disposes it.
    /// </summary>
    public Task<SqliteConnection> OpenPrivateConnectionAsync(CancellationToken cancellationToken = default) =>
        OpenInitializedAsync(_privateConnectionString, cancellationToken);

    /// <summary>
    /// Checks the file and brings its schema up to date now rather than at the first use, so that a host refuses to
    /// start on a file it cannot use.
    /// </summary>
    /// <exception cref="StoreUnusableException">The file is not a Ragtune database, is too new, or is damaged.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Closes the pooled connections to the file, so that it can be moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _initializeLock.Dispose();
    }

    private async Task<SqliteConnection> OpenInitializedAsync(string connectionString, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken);
        }

        return await OpenConfiguredAsync(connectionString, cancellationToken);
    }

    private async Task<SqliteConnection> OpenConfiguredAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initializeLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            await SqliteStoreCheck.VerifyAsync(FilePath, _schema, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            await using var connection = await OpenConfiguredAsync(_connectionString, cancellationToken);
            await using (var journal = connection.CreateCommand())
            {
                // Persistent in the file: readers see the last committed version while a writer works.
                journal.CommandText = "PRAGMA journal_mode = WAL;";
                await journal.ExecuteNonQueryAsync(cancellationToken);
            }

            await MigrateAsync(connection, cancellationToken);
            _initialized = true;
        }
        catch (SqliteException exception) when (SqliteStoreCheck.IsDamage(exception))
        {
            throw SqliteStoreCheck.Damaged(FilePath, _schema, exception.Message, exception);
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // IMMEDIATE: another process migrating the same file (or writing to it) waits here, then finds the work done.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetSchemaVersionAsync(connection, transaction, cancellationToken);
        if (current > _schema.LatestVersion)
        {
            throw new StoreUnusableException(
                FilePath, StoreProblem.NewerSchema,
                $"{FilePath} has schema version {current}, newer than this Ragtune knows ({_schema.LatestVersion}): upgrade Ragtune, or use another data folder (--data).");
        }

        if (current == _schema.LatestVersion)
        {
            return;
        }

        // Work in other files (the copy of what moves to ratings.db) while this file's write lock is held, so that no
        // writer of this file adds a row between the copy and the step that drops it.
        foreach (var migration in _schema.Migrations.Where(m => m.Version > current && m.Before is not null))
        {
            await migration.Before!(_settings, FilePath, _logger, cancellationToken);
        }

        foreach (var migration in _schema.Migrations.Where(m => m.Version > current))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = string.Create(
                CultureInfo.InvariantCulture, $"{migration.Sql}\nPRAGMA user_version = {migration.Version};");
            await command.ExecuteNonQueryAsync(cancellationToken);
            Log.SchemaMigrated(_logger, FilePath, migration.Version, migration.Description);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    internal static async Task<int> GetSchemaVersionAsync(
        SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
