using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary>
/// Every command on a data folder whose database is foreign, too new or damaged exits 2 with one line that names the
/// file, says what is wrong and what to do, and no stack trace; <c>serve</c> does not start; <c>check</c> reports per table.
/// </summary>
public sealed class DamagedStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public DamagedStoreTests() => DatabasePath = Path.Combine(_folder.Combine("data"), SqliteStorageOptions.DatabaseFileName);

    private string DatabasePath { get; }

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var damage in new[] { "garbage", "text", "middle", "future" })
        {
            foreach (var command in new[] { "documents", "ask", "export", "ingest", "remove", "tune", "serve" })
            {
                data.Add(damage, command);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_OnAnUnusableDatabase_ExitsTwoWithOneLine(string damage, string command)
    {
        await DamageAsync(damage);
        var document = _folder.WriteFile("docs/a.txt", "The frame is warranted for five years.");
        var before = await File.ReadAllBytesAsync(DatabasePath);

        var run = await RagtuneCommand.RunAsync(ArgumentsOf(command, document));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(DatabasePath + " ", line, StringComparison.Ordinal);
        Assert.Contains(damage switch { "future" => "newer", "middle" => "is damaged", _ => "is not a Ragtune database" }, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(DatabasePath));
    }

    public static TheoryData<string, string> RatingsCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var damage in new[] { "garbage", "future" })
        {
            foreach (var command in new[] { "documents", "tune", "backup", "serve" })
            {
                data.Add(damage, command);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RatingsCases))]
    public async Task Command_OnAnUnusableRatingsFile_ExitsTwoWithOneLineNamingIt(string damage, string command)
    {
        var ratingsPath = Path.Combine(_folder.Combine("data"), RatingsDatabase.FileName);
        await WriteRealDatabaseAsync();
        if (damage == "garbage")
        {
            DamagedFiles.WriteGarbage(ratingsPath);
        }
        else
        {
            await WriteFutureRatingsAsync();
        }

        var document = _folder.WriteFile("docs/a.txt", "The frame is warranted for five years.");
        var before = await File.ReadAllBytesAsync(ratingsPath);

        var run = await RagtuneCommand.RunAsync(ArgumentsOf(command, document));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(ratingsPath + " ", line, StringComparison.Ordinal);
        Assert.Contains(damage == "future" ? "newer" : "is not a Ragtune database", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(ratingsPath));
    }

    [Fact]
    public async Task Check_SoundDatabase_ReportsEachTableOk()
    {
        await WriteRealDatabaseAsync();

        var run = await RagtuneCommand.RunAsync("check", "--data", _folder.Combine("data"));

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains(DatabasePath, run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\bchunks\s*│\s*120\s*│\s*ok", run.Output);
        Assert.DoesNotContain("damaged", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DamagedDatabase_ReportsTheTablesHitAndExitsTwo()
    {
        await DamageAsync("middle");

        var run = await RagtuneCommand.RunAsync("check", "--data", _folder.Combine("data"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Matches(@"is damaged in [1-9]\d* of \d+ tables \(", run.Output);
        Assert.Matches(@"\bdocuments\s*│\s*\d+\s*│\s*ok", run.Output);
    }

    [Fact]
    public async Task Check_TextFileNamedRagtuneDb_ExitsTwoWithOneLine()
    {
        await DamageAsync("text");

        var run = await RagtuneCommand.RunAsync("check", "--data", _folder.Combine("data"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal($"{DatabasePath} is not a Ragtune database (not a SQLite file at all): move it away, or use another data folder (--data).", run.Output.Trim());
    }

    /// <summary>The command line of <paramref name="command"/> on the test's data folder.</summary>
    private string[] ArgumentsOf(string command, string document)
    {
        string[] args = command switch
        {
            "ask" => ["ask", "How long is the frame warranted?"],
            "ingest" => ["ingest", document],
            "remove" => ["remove", "a.txt"],
            "tune" => ["tune", "status"],
            "backup" => ["backup", "--out", _folder.Combine("backups", "ratings.db")],
            "serve" => ["serve", "--docs", _folder.Combine("docs"), "--urls", "http://127.0.0.1:0"],
            _ => [command],
        };
        return [.. args, "--data", _folder.Combine("data")];
    }

    /// <summary>A ratings file of a later Ragtune (schema version 1000).</summary>
    private async Task WriteFutureRatingsAsync()
    {
        var options = Options.Create(new SqliteStorageOptions { DataDirectory = _folder.Combine("data") });
        using var ratings = new RatingsDatabase(options, NullLogger<SqliteDatabase>.Instance);
        await using var connection = await ratings.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version = 1000;";
        await command.ExecuteNonQueryAsync();
    }

    private async Task DamageAsync(string damage)
    {
        switch (damage)
        {
            case "garbage":
                DamagedFiles.WriteGarbage(DatabasePath);
                break;
            case "text":
                DamagedFiles.WriteText(DatabasePath);
                break;
            case "middle":
                await WriteRealDatabaseAsync();
                DamagedFiles.CorruptMiddle(DatabasePath);
                break;
            default:
                await WriteRealDatabaseAsync(userVersion: 1000);
                break;
        }
    }

    /// <summary>A real database as ingestion leaves it: three documents of 40 chunks (8-d vectors), every connection closed.</summary>
    private async Task WriteRealDatabaseAsync(int? userVersion = null)
    {
        var options = Options.Create(new SqliteStorageOptions { DataDirectory = _folder.Combine("data") });
        using var database = new SqliteDatabase(options, NullLogger<SqliteDatabase>.Instance);
        using (var index = new SqliteChunkIndex(database, options, NullLogger<SqliteChunkIndex>.Instance))
        {
            for (var document = 0; document < 3; document++)
            {
                var documentId = DocumentIds.ForSource($"doc-{document}.md");
                await using var replacement = await index.BeginReplaceAsync(documentId);
                await replacement.AddAsync([.. Enumerable.Range(0, 40).Select(i => new IndexChunk(
                    DocumentIds.ForChunk(documentId, i), documentId, i, $"doc-{document}.md", Page: 1,
                    $"Document {document}, part {i}: the battery warranty covers {i * 100} charge cycles.", DocumentIds.ContentHash($"{document}-{i}"),
                    [], new float[] { 1f, i, document, 0, 0, 0, 0, 1f }))]);
                await replacement.CommitAsync();
            }
        }

        if (userVersion is { } version)
        {
            await using var connection = await database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {version};";
            await command.ExecuteNonQueryAsync();
        }
    }
}
