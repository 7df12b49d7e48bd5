using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ragtune.Core;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Open_CreatesTheFileAtTheLatestSchemaVersion()
    {
        await using var connection = await _index.Database.OpenConnectionAsync();

        Assert.True(File.Exists(_index.Options.DatabasePath));
        Assert.Equal(Path.Combine(_index.Directory.Combine("data"), "ragtune.db"), _index.Database.FilePath);
        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync<long>(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Open_AppliesThePragmas()
    {
        await using var connection = await _index.Database.OpenConnectionAsync();

        Assert.Equal("wal", await ScalarAsync<string>(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, await ScalarAsync<long>(connection, "PRAGMA foreign_keys;"));
        Assert.Equal((long)_index.Options.BusyTimeout.TotalMilliseconds, await ScalarAsync<long>(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1L, await ScalarAsync<long>(connection, "PRAGMA synchronous;"));
    }

    [Fact]
    public async Task Migrations_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, SqliteSchema.Migrations.Count), SqliteSchema.Migrations.Select(m => m.Version));
        await using var connection = await _index.Database.OpenConnectionAsync();
        Assert.Equal(1L, await ScalarAsync<long>(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'chunks_fts';"));
    }

    [Fact]
    public async Task Reopen_KeepsDataAndSchema()
    {
        await _index.ReplaceAsync("a.md", [("kept text", TestVectors.Of(1f))]);
        _index.Database.Dispose();

        using var reopened = _index.OpenSecond();
        await using var connection = await reopened.Database.OpenConnectionAsync();

        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync<long>(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, await ScalarAsync<long>(connection, "SELECT count(*) FROM chunks;"));
    }

    [Fact]
    public async Task Open_FileOfSchemaVersion3_MigratesIt_AndKeepsItsDocuments()
    {
        // A file written by the Ragtune before source versions: its records read back with none.
        await WriteFileOfVersionAsync(3, $"""
            INSERT INTO documents (document_id, source, content_hash, status, chunks, indexed_at, groups, error)
            VALUES ('{DocumentIds.ForSource("a.md")}', 'a.md', 'hash', 'indexed', 2, '2025-03-14T15:09:26.5350000+00:00', '[]', NULL);
            """);

        var record = await _index.Catalog.FindAsync(DocumentIds.ForSource("a.md"));

        Assert.NotNull(record);
        Assert.Equal("hash", record.ContentHash);
        Assert.Null(record.SourceVersion);
        await using var connection = await _index.Database.OpenConnectionAsync();
        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync<long>(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Open_FileOfSchemaVersion4_MigratesIt_AndItsRecordsAreOfUnknownOrigin()
    {
        // A file written before origins: serve or ingest may have written each record, so none is serve's to remove.
        await WriteFileOfVersionAsync(4, $"""
            INSERT INTO documents (document_id, source, content_hash, status, chunks, indexed_at, groups, error, source_version)
            VALUES ('{DocumentIds.ForSource("a.md")}', 'a.md', 'hash', 'indexed', 2, '2025-03-14T15:09:26.5350000+00:00', '[]', NULL, NULL);
            """);

        var record = await _index.Catalog.FindAsync(DocumentIds.ForSource("a.md"));

        Assert.NotNull(record);
        Assert.Equal("hash", record.ContentHash);
        Assert.Equal(DocumentOrigin.Unknown, record.Origin);
        await using var connection = await _index.Database.OpenConnectionAsync();
        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync<long>(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Open_FileFromANewerRagtune_Throws()
    {
        await using (var connection = await _index.Database.OpenConnectionAsync())
        {
            await ScalarAsync<long>(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SqliteSchema.LatestVersion + 1}; SELECT 0;"));
        }

        _index.Database.Dispose();
        using var reopened = _index.OpenSecond();

        var error = await Assert.ThrowsAsync<StoreUnusableException>(() => reopened.Database.OpenConnectionAsync());
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal(StoreProblem.NewerSchema, error.Problem);
    }

    [Fact]
    public async Task Registration_BindsTheDataDirectory()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ragtune:Storage:DataDirectory"] = _index.Directory.Combine("bound") });
        builder.Services.AddRagtuneSqliteStorage();
        using var host = builder.Build();
        await host.StartAsync();

        var index = host.Services.GetRequiredService<IChunkIndex>();
        await using (var replacement = await index.BeginReplaceAsync(DocumentIds.ForSource("a.md")))
        {
            await replacement.AddAsync([TestChunks.Create("a.md", 0, "bound text", TestVectors.Of(1f), [])]);
            await replacement.CommitAsync();
        }

        Assert.Same(host.Services.GetRequiredService<SqliteChunkIndex>(), index);
        Assert.IsType<SqliteDocumentCatalog>(host.Services.GetRequiredService<IDocumentCatalog>());
        Assert.True(File.Exists(_index.Directory.Combine("bound", "ragtune.db")));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Ragtune:Storage:DataDirectory", "")]
    [InlineData("Ragtune:Storage:RankFusionK", "0")]
    [InlineData("Ragtune:Storage:BusyTimeout", "00:00:00")]
    public async Task Registration_BadSetting_FailsAtStartNamingIt(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddRagtuneSqliteStorage();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WhileAnotherConnectionHoldsTheLock_IsATransientFailure()
    {
        using var index = TestIndex.Create(options => options.BusyTimeout = TimeSpan.FromMilliseconds(200));
        await using var other = await index.Database.OpenConnectionAsync();
        await using var lockHolder = (SqliteTransaction)await other.BeginTransactionAsync();

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => index.ReplaceAsync("a.md", [("text", TestVectors.Of(1f))]));
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => index.Catalog.DeleteAsync("a"));

        Assert.True(error.IsTransient);
        await lockHolder.RollbackAsync();
        await index.ReplaceAsync("a.md", [("text", TestVectors.Of(1f))]);
    }

    /// <summary>Writes the database file as a Ragtune of schema <paramref name="version"/> left it, then <paramref name="rows"/>.</summary>
    private async Task WriteFileOfVersionAsync(int version, string rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_index.Database.FilePath)!);
        await using var old = new SqliteConnection($"Data Source={_index.Database.FilePath};Pooling=False");
        await old.OpenAsync();
        var steps = string.Join('\n', SqliteSchema.Migrations.Where(m => m.Version <= version).Select(m => m.Sql));
        await ScalarAsync<long>(old, string.Create(CultureInfo.InvariantCulture, $"""
            {steps}
            PRAGMA user_version = {version};
            {rows}
            SELECT 0;
            """));
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
