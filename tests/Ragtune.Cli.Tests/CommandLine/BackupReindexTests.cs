using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary>
/// <c>ragtune backup</c> copies the ratings and tuning runs, also beside a damaged index; <c>ragtune reindex</c> rebuilds
/// the index and keeps them and the active model.
/// </summary>
public sealed class BackupReindexTests : IDisposable
{
    private const string PromotedModel = "ft:gpt-4.1-mini:ragtune:1";

    private readonly TempDirectory _folder = new();

    private string Data => _folder.Combine("data");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Backup_OfADamagedIndex_StillCopiesEveryRating()
    {
        await RateAsync(12);
        await PromoteAsync();
        DamagedFiles.WriteText(Path.Combine(Data, SqliteStorageOptions.DatabaseFileName));
        var backup = _folder.Combine("backups", "ratings.db");

        var run = await RagtuneCommand.RunAsync("backup", "--data", Data, "--out", backup);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains(
            $"Backed up 12 answers (12 rated), 1 tuning runs and 1 model changes from {Path.Combine(Data, RatingsDatabase.FileName)} to {backup}",
            run.Output,
            StringComparison.Ordinal);
        Assert.Equal(12L, await CountAsync(backup, "feedback"));
        Assert.Equal(1L, await CountAsync(backup, "tuning_runs"));
        Assert.Equal(1L, await CountAsync(backup, "model_changes"));
    }

    [Fact]
    public async Task Restore_AsReadmeSays_BringsBackTheRatingsTuningRunsAndActiveModelOfTheBackup()
    {
        await RateAsync(5);
        await PromoteAsync();
        var backup = _folder.Combine("backups", "ratings-2026-12-06.db");
        Assert.Equal(ExitCodes.Success, (await RagtuneCommand.RunAsync("backup", "--data", Data, "--out", backup)).ExitCode);

        // After the backup: more ratings and a rollback, which the restore takes back.
        await RateAsync(2);
        Assert.Equal(ExitCodes.Success, (await RagtuneCommand.RunAsync("tune", "rollback", "--data", Data)).ExitCode);
        var ratingsPath = Path.Combine(Data, RatingsDatabase.FileName);

        // README, "Back up the ratings": move ratings.db* away, copy the backup in, check, tune status.
        Directory.CreateDirectory(Path.Combine(Data, "old"));
        foreach (var file in Directory.GetFiles(Data, RatingsDatabase.FileName + "*"))
        {
            File.Move(file, Path.Combine(Data, "old", Path.GetFileName(file)));
        }

        File.Copy(backup, ratingsPath);
        var check = await RagtuneCommand.RunAsync("check", "--data", Data);
        var status = await RagtuneCommand.RunAsync("tune", "status", "--data", Data);

        Assert.Equal(ExitCodes.Success, check.ExitCode);
        Assert.Matches(@"\bfeedback\s*│\s*5\s*│\s*ok", check.Output);
        Assert.Matches(@"\bmodel_changes\s*│\s*1\s*│\s*ok", check.Output);
        Assert.Equal(ExitCodes.Success, status.ExitCode);
        Assert.Contains($"Active model: {PromotedModel}", status.Output, StringComparison.Ordinal);
        Assert.Equal(5L, await CountAsync(ratingsPath, "feedback"));
    }

    [Fact]
    public async Task Backup_WithoutOut_IsAUsageError()
    {
        var run = await RagtuneCommand.RunAsync("backup", "--data", Data);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--out", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reindex_DamagedIndex_RebuildsItFromTheDocuments_AndKeepsTheRatings()
    {
        var docs = _folder.Combine("docs");
        _folder.WriteFile("docs/a.txt", "The frame is warranted for five years from the date of purchase.");
        Assert.Equal(ExitCodes.Success, (await RagtuneCommand.RunAsync("ingest", docs, "--data", Data)).ExitCode);
        await RateAsync(3);
        await PromoteAsync();
        var index = Path.Combine(Data, SqliteStorageOptions.DatabaseFileName);
        DamagedFiles.WriteGarbage(index);
        Assert.Equal(ExitCodes.Usage, (await RagtuneCommand.RunAsync("documents", "--data", Data)).ExitCode);

        var run = await RagtuneCommand.RunAsync("reindex", docs, "--data", Data);
        var documents = await RagtuneCommand.RunAsync("documents", "--data", Data, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("1 indexed", run.Output, StringComparison.Ordinal);
        Assert.Contains("a.txt", documents.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Data, "ragtune.db.before-reindex-*"));
        Assert.Equal(3L, await CountAsync(Path.Combine(Data, RatingsDatabase.FileName), "feedback"));
        var status = await RagtuneCommand.RunAsync("tune", "status", "--data", Data);
        Assert.Equal(ExitCodes.Success, status.ExitCode);
        Assert.Contains($"Active model: {PromotedModel}", status.Output, StringComparison.Ordinal);
    }

    /// <summary>Records and rates answers in the data folder's ratings file, as <c>ragtune serve</c> would.</summary>
    private async Task RateAsync(int answers)
    {
        var storage = Options.Create(new SqliteStorageOptions { DataDirectory = Data });
        using var ratings = new RatingsDatabase(storage, NullLogger<SqliteDatabase>.Instance);
        var store = new SqliteInteractionStore(ratings);
        for (var i = 0; i < answers; i++)
        {
            var interaction = new Interaction(
                Ulid.New(TimeProvider.System), DateTimeOffset.UtcNow, $"question {i}", [], $"question {i}", SearchMode.Hybrid, 0.3f, [],
                [new PromptMessage("user", $"Question: question {i}")], "v1", "extractive", "Five years [1].", true, TokenUsage.None, new AnswerTimings(1, 1), []);
            await store.RecordAsync(interaction);
            await store.SaveFeedbackAsync(new AnswerFeedback(interaction.AnswerId, FeedbackRating.Up, null, null, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>A tuning run whose fine-tuned model was promoted, as <c>ragtune tune</c> leaves it: the active model.</summary>
    private async Task PromoteAsync()
    {
        var storage = Options.Create(new SqliteStorageOptions { DataDirectory = Data });
        using var ratings = new RatingsDatabase(storage, NullLogger<SqliteDatabase>.Instance);
        var store = new SqliteTuningRunStore(ratings);
        var run = await store.CreateAsync(TuningRun.Create("20261127T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1E", TuningMethod.Sft, "gpt-4.1-mini", DateTimeOffset.UtcNow));
        await store.AppendModelChangeAsync(new ModelChange(1, ModelChangeKind.Promoted, PromotedModel, PromotedModel, run.RunId, DateTimeOffset.UtcNow));
    }

    private static async Task<long> CountAsync(string path, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
