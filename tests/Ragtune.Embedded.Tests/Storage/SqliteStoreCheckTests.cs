using System.Globalization;
using Microsoft.Data.Sqlite;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>A foreign, too new or damaged database file is refused on open with one line; a sound one is checked table by table.</summary>
public sealed class SqliteStoreCheckTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Open_GarbageBytes_IsNotADatabase()
    {
        DamagedFiles.WriteGarbage(_index.Database.FilePath);

        var error = await Assert.ThrowsAsync<StoreUnusableException>(() => _index.Database.OpenConnectionAsync());

        AssertOneLineNamingTheFile(error, StoreProblem.NotADatabase);
    }

    [Fact]
    public async Task Open_TextFile_IsNotADatabase()
    {
        DamagedFiles.WriteText(_index.Database.FilePath);

        var error = await Assert.ThrowsAsync<StoreUnusableException>(() => _index.Database.OpenConnectionAsync());

        AssertOneLineNamingTheFile(error, StoreProblem.NotADatabase);
        Assert.StartsWith("These are my notes", await File.ReadAllTextAsync(_index.Database.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AnotherApplicationsSqliteFile_IsNotRagtunes_AndIsLeftUnchanged()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_index.Database.FilePath)!);
        await ExecuteAsync(_index.Database.FilePath, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada');");

        var error = await Assert.ThrowsAsync<StoreUnusableException>(() => _index.Database.OpenConnectionAsync());

        AssertOneLineNamingTheFile(error, StoreProblem.NotRagtune);
        Assert.Equal(0L, await ScalarAsync(_index.Database.FilePath, "PRAGMA user_version;"));
        Assert.Equal(1L, await ScalarAsync(_index.Database.FilePath, "SELECT count(*) FROM sqlite_schema WHERE type = 'table';"));
    }

    [Fact]
    public async Task Open_FutureSchemaVersion_SaysUpgrade()
    {
        await _index.Database.OpenAsync();
        CloseAll();
        await ExecuteAsync(_index.Database.FilePath, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SqliteSchema.LatestVersion + 7};"));
        using var reopened = _index.OpenSecond();

        var error = await Assert.ThrowsAsync<StoreUnusableException>(() => reopened.Database.OpenAsync());

        AssertOneLineNamingTheFile(error, StoreProblem.NewerSchema);
        Assert.Contains("upgrade Ragtune", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_RealDatabaseWithBytesChangedInTheMiddle_IsDamaged()
    {
        await FillAsync();
        CloseAll();
        DamagedFiles.CorruptMiddle(_index.Database.FilePath);
        using var reopened = _index.OpenSecond();

        var error = await Assert.ThrowsAsync<StoreUnusableException>(() => reopened.Database.OpenAsync());

        AssertOneLineNamingTheFile(error, StoreProblem.Damaged);
        Assert.Contains("ragtune check", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_EmptyFile_BecomesANewDatabase()
    {
        DamagedFiles.WriteText(_index.Database.FilePath);
        await File.WriteAllBytesAsync(_index.Database.FilePath, []);

        await _index.Database.OpenAsync();

        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync(_index.Database.FilePath, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Check_SoundDatabase_ReportsEveryTableWithItsRows()
    {
        await FillAsync();

        var files = await SqliteStoreCheck.CheckAsync(_index.Options.DataDirectory);

        var index = Assert.Single(files, f => f.FilePath == _index.Database.FilePath);
        Assert.True(index.IsSound);
        Assert.Equal(SqliteSchema.LatestVersion, index.SchemaVersion);
        Assert.Equal(200L, index.Tables.Single(t => t.Table == "chunks").Rows);
        Assert.Contains(index.Tables, t => t.Table == "documents");
    }

    [Fact]
    public async Task Check_DamagedDatabase_NamesTheDamagedTable()
    {
        await FillAsync();
        CloseAll();
        DamagedFiles.CorruptMiddle(_index.Database.FilePath);

        var files = await SqliteStoreCheck.CheckAsync(_index.Options.DataDirectory);

        var index = Assert.Single(files, f => f.FilePath == _index.Database.FilePath);
        Assert.False(index.IsSound);
        Assert.Contains(index.Tables, t => !t.IsSound && t.Problems.All(p => p.Length > 0));
        Assert.Contains(index.Tables, t => t.IsSound);
    }

    [Fact]
    public async Task Check_NoDatabaseYet_SaysSoWithoutCreatingOne()
    {
        var files = await SqliteStoreCheck.CheckAsync(_index.Options.DataDirectory);

        Assert.All(files, f => Assert.False(f.Exists));
        Assert.False(File.Exists(_index.Database.FilePath));
    }

    private static void AssertOneLineNamingTheFile(StoreUnusableException error, StoreProblem problem)
    {
        Assert.Equal(problem, error.Problem);
        Assert.Contains(error.FilePath, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(": ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Four documents of 50 chunks each: enough pages that the middle of the file is table and index pages.</summary>
    private async Task FillAsync()
    {
        var random = new Random(18);
        for (var document = 0; document < 4; document++)
        {
            var chunks = Enumerable.Range(0, 50)
                .Select(i => ($"Document {document} chunk {i}: the battery warranty covers {i} cycles of the frame and motor.", TestVectors.Random(random)))
                .ToList();
            await _index.ReplaceAsync($"doc-{document}.md", chunks);
        }
    }

    /// <summary>Closes every connection of the first index, so the file is whole on disk (no WAL) before a test damages it.</summary>
    private void CloseAll()
    {
        _index.Index.Dispose();
        _index.Database.Dispose();
        Assert.False(File.Exists(_index.Database.FilePath + "-wal") && new FileInfo(_index.Database.FilePath + "-wal").Length > 0);
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
