using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ragtune.Core;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>
/// The answers, ratings, tuning runs and model changes live in ratings.db, apart from the index: an index of the old
/// layout hands them over on open, a damaged index leaves them readable, and a backup made while answers are written is
/// one consistent version.
/// </summary>
public sealed class RatingsDatabaseTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private const string Export = "20261127T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1E";

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Open_IndexOfTheOldLayout_MovesItsAnswersAndRatingsToRatingsDb()
    {
        var answers = await WriteOldLayoutAsync(answers: 3, rated: 2);

        await _index.Database.OpenAsync();

        var store = new SqliteInteractionStore(_index.Ratings);
        foreach (var answer in answers)
        {
            Assert.Equal(answer.Question, (await store.FindAsync(answer.AnswerId))?.Question);
        }

        var rated = new List<RatedInteraction>();
        await foreach (var item in store.ReadRatedAsync(DateTimeOffset.MaxValue))
        {
            rated.Add(item);
        }

        Assert.Equal(answers.Take(2).Select(a => a.AnswerId).Order(), rated.Select(r => r.Interaction.AnswerId).Order());
        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync(_index.Database.FilePath, "PRAGMA user_version;"));
        Assert.Equal(0L, await ScalarAsync(_index.Database.FilePath, "SELECT count(*) FROM sqlite_schema WHERE name IN ('interactions', 'feedback');"));
        Assert.Equal(1L, await ScalarAsync(_index.Database.FilePath, "SELECT count(*) FROM documents;"));
    }

    [Fact]
    public async Task Open_IndexOfSchema6_MovesAnswersRatingsTuningRunsAndModelChangesToRatingsDb()
    {
        var answers = await WriteOldLayoutAsync(answers: 3, rated: 2, version: 6);
        var (run, changes) = await WriteOldTuningAsync();

        await _index.Database.OpenAsync();

        var tuning = new SqliteTuningRunStore(_index.Ratings);
        var found = await tuning.FindAsync(run.RunId);
        Assert.Equal((run.RunId, run.State, run.Revision, run.BaseModel), (found?.RunId, found?.State, found?.Revision, found?.BaseModel));
        Assert.Equal(changes, await tuning.ReadModelChangesAsync());
        Assert.Equal("ft:gpt-4.1-mini:ragtune:2", ActiveModel.From(await tuning.ReadModelChangesAsync()).Model);
        var store = new SqliteInteractionStore(_index.Ratings);
        foreach (var answer in answers)
        {
            Assert.Equal(answer.Question, (await store.FindAsync(answer.AnswerId))?.Question);
        }

        Assert.Equal(2L, await ScalarAsync(_index.Ratings.FilePath, "SELECT count(*) FROM feedback;"));
        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync(_index.Database.FilePath, "PRAGMA user_version;"));
        Assert.Equal(0L, await ScalarAsync(
            _index.Database.FilePath, "SELECT count(*) FROM sqlite_schema WHERE name IN ('interactions', 'feedback', 'tuning_runs', 'model_changes');"));
        Assert.Equal("ingested:/home/me/papers", await TextAsync(_index.Database.FilePath, "SELECT origin FROM documents;"));
    }

    [Fact]
    public async Task Open_AfterAMoveStoppedBetweenCopyAndDrop_KeepsEveryRatingOnce()
    {
        await WriteOldLayoutAsync(answers: 4, rated: 3);
        // The copy committed, then the process died before the index dropped its tables.
        await RatingsSchema.CopyFromIndexAsync(_index.Options, _index.Database.FilePath, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance, CancellationToken.None);

        await _index.Database.OpenAsync();
        await _index.Ratings.OpenAsync();

        Assert.Equal(4L, await ScalarAsync(_index.Ratings.FilePath, "SELECT count(*) FROM interactions;"));
        Assert.Equal(3L, await ScalarAsync(_index.Ratings.FilePath, "SELECT count(*) FROM feedback;"));
    }

    [Fact]
    public async Task DamagedIndex_LeavesTheRatingsAndTheActiveModelReadable()
    {
        var store = new SqliteInteractionStore(_index.Ratings);
        var answer = await RecordAsync(store, "How long is the frame warranted?");
        await store.SaveFeedbackAsync(new AnswerFeedback(answer.AnswerId, FeedbackRating.Down, "Five years [1].", null, Noon));
        var run = await new SqliteTuningRunStore(_index.Ratings).CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon));
        await new SqliteTuningRunStore(_index.Ratings).AppendModelChangeAsync(
            new ModelChange(1, ModelChangeKind.Promoted, "ft:gpt-4.1-mini:ragtune:1", "ft:gpt-4.1-mini:ragtune:1", run.RunId, Noon));
        for (var document = 0; document < 4; document++)
        {
            await _index.ReplaceAsync($"doc-{document}.md", [.. Enumerable.Range(0, 50).Select(i => ($"Part {i} of document {document} on charge cycles.", TestVectors.Of(1f, i)))]);
        }

        _index.Index.Dispose();
        _index.Database.Dispose();
        DamagedFiles.CorruptMiddle(_index.Database.FilePath);
        using var reopened = _index.OpenSecond();

        await Assert.ThrowsAsync<StoreUnusableException>(() => reopened.Database.OpenAsync());
        var rated = new List<RatedInteraction>();
        await foreach (var item in new SqliteInteractionStore(reopened.Ratings).ReadRatedAsync(DateTimeOffset.MaxValue))
        {
            rated.Add(item);
        }

        Assert.Equal("Five years [1].", Assert.Single(rated).Feedback.Correction);
        var tuning = new SqliteTuningRunStore(reopened.Ratings);
        Assert.Equal("ft:gpt-4.1-mini:ragtune:1", ActiveModel.From(await tuning.ReadModelChangesAsync()).Model);
        Assert.Equal(run.RunId, Assert.Single(await tuning.ListAsync()).RunId);
    }

    [Fact]
    public async Task Backup_WhileAnotherConnectionWritesAnswersAndRatings_IsOneConsistentVersion()
    {
        // The writer is a second database object over the same file, as `ragtune serve` in another process is.
        using var serving = _index.OpenSecond();
        var writer = new SqliteInteractionStore(serving.Ratings);
        var written = 0;
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var answer = await RecordAsync(writer, $"question {i}");
                await writer.SaveFeedbackAsync(new AnswerFeedback(answer.AnswerId, i % 3 == 0 ? FeedbackRating.Down : FeedbackRating.Up, null, null, Noon));
                Interlocked.Increment(ref written);
            }
        });
        await Eventually.HoldsAsync(() => Volatile.Read(ref written) >= 50, TimeSpan.FromSeconds(60), "the writer has rated 50 answers");

        var backups = new List<(int Before, RatingsBackupResult Result, int After)>();
        for (var round = 0; round < 3; round++)
        {
            var before = Volatile.Read(ref written);
            var result = await RatingsBackup.WriteAsync(_index.Ratings, _index.Directory.Combine("backups", $"ratings-{round}.db"));
            backups.Add((before, result, Volatile.Read(ref written)));
        }

        await stop.CancelAsync();
        await writing;

        Assert.Contains(backups, b => b.After > b.Before);
        foreach (var (before, result, after) in backups)
        {
            // Every rating finished before the backup began is in it; none that did not exist yet; no rating without its answer.
            Assert.InRange(result.Ratings, before, after);
            Assert.InRange(result.Answers, result.Ratings, result.Ratings + 1);
            Assert.Equal("ok", await TextAsync(result.FilePath, "PRAGMA integrity_check;"));
            Assert.Equal(0L, await ScalarAsync(result.FilePath, "SELECT count(*) FROM feedback AS f LEFT JOIN interactions AS i USING (answer_id) WHERE i.answer_id IS NULL;"));
            Assert.Equal(new FileInfo(result.FilePath).Length, result.Bytes);
        }

        Assert.Empty(Directory.GetFiles(_index.Directory.Combine("backups"), "*.partial"));
    }

    [Fact]
    public async Task Backup_RestoredIntoAnotherDataFolder_HasEveryRating()
    {
        var store = new SqliteInteractionStore(_index.Ratings);
        var answers = new List<Interaction>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await RecordAsync(store, $"question {i}"));
            await store.SaveFeedbackAsync(new AnswerFeedback(answers[^1].AnswerId, FeedbackRating.Up, null, $"comment {i}", Noon.AddMinutes(i)));
        }

        var tuning = new SqliteTuningRunStore(_index.Ratings);
        var run = await tuning.CreateAsync(TuningRun.Create(Export, TuningMethod.Dpo, "gpt-4.1-mini", Noon));
        await tuning.AppendModelChangeAsync(new ModelChange(1, ModelChangeKind.Promoted, "ft:gpt-4.1-mini:ragtune:1", "ft:gpt-4.1-mini:ragtune:1", run.RunId, Noon));
        var backup = await RatingsBackup.WriteAsync(_index.Ratings, _index.Directory.Combine("ratings-backup.db"));

        // Restore as README says: the backup file becomes ratings.db of the (new) data folder.
        using var restored = TestIndex.Create();
        Directory.CreateDirectory(restored.Options.DataDirectory);
        File.Copy(backup.FilePath, restored.Ratings.FilePath);
        await restored.Database.OpenAsync();
        var rated = new List<RatedInteraction>();
        await foreach (var item in new SqliteInteractionStore(restored.Ratings).ReadRatedAsync(DateTimeOffset.MaxValue))
        {
            rated.Add(item);
        }

        Assert.Equal((20L, 20L, 1L, 1L), (backup.Answers, backup.Ratings, backup.TuningRuns, backup.ModelChanges));
        var restoredTuning = new SqliteTuningRunStore(restored.Ratings);
        Assert.Equal(run.RunId, (await restoredTuning.FindAsync(run.RunId))?.RunId);
        Assert.Equal("ft:gpt-4.1-mini:ragtune:1", ActiveModel.From(await restoredTuning.ReadModelChangesAsync()).Model);
        Assert.Equal(answers.Select(a => a.AnswerId).Order(), rated.Select(r => r.Interaction.AnswerId).Order());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"comment {i}").Order(), rated.Select(r => r.Feedback.Comment!).Order());
    }

    /// <summary>
    /// An index file as a Ragtune before ratings.db wrote it (schema 4, before tuning runs; or 6, main's last before the
    /// move): one document, answers, some rated.
    /// </summary>
    private async Task<IReadOnlyList<Interaction>> WriteOldLayoutAsync(int answers, int rated, int version = 4)
    {
        Directory.CreateDirectory(_index.Options.DataDirectory);
        var interactions = Enumerable.Range(0, answers).Select(i => NewInteraction($"old question {i}")).ToList();
        await using var connection = new SqliteConnection($"Data Source={_index.Database.FilePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Join('\n', SqliteSchema.Migrations.Where(m => m.Version <= version).Select(m => m.Sql)) + $"""

            PRAGMA user_version = {version};
            INSERT INTO documents (document_id, source, content_hash, status, chunks, indexed_at, groups, error)
            VALUES ('d', 'a.md', 'hash', 'indexed', 0, '2025-03-14T15:09:26.5350000+00:00', '[]', NULL);
            """;
        await command.ExecuteNonQueryAsync();
        if (version >= 6)
        {
            command.CommandText = "UPDATE documents SET origin = 'ingested:/home/me/papers';";
            await command.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < answers; i++)
        {
            command.Parameters.Clear();
            command.CommandText = "INSERT INTO interactions (answer_id, created_at, record) VALUES ($id, $at, $record);";
            command.Parameters.AddWithValue("$id", interactions[i].AnswerId);
            command.Parameters.AddWithValue("$at", Noon.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$record", JsonSerializer.Serialize(interactions[i], RagtuneJson.Options));
            await command.ExecuteNonQueryAsync();
            if (i < rated)
            {
                command.CommandText = "INSERT INTO feedback (answer_id, rating, rated_at) VALUES ($id, 'up', '2026-11-27T12:00:00.0000000Z');";
                await command.ExecuteNonQueryAsync();
            }
        }

        return interactions;
    }

    /// <summary>A tuning run and two model changes (promoted, promoted again) in the old-layout index file, as schema 5 and 6 kept them.</summary>
    private async Task<(TuningRun Run, IReadOnlyList<ModelChange> Changes)> WriteOldTuningAsync()
    {
        var run = TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon) with { Revision = 3 };
        IReadOnlyList<ModelChange> changes =
        [
            new(1, ModelChangeKind.Promoted, "ft:gpt-4.1-mini:ragtune:1", "ft:gpt-4.1-mini:ragtune:1", "earlier-sft", Noon.AddDays(-7)),
            new(2, ModelChangeKind.Promoted, "ft:gpt-4.1-mini:ragtune:2", "ft:gpt-4.1-mini:ragtune:2", run.RunId, Noon),
        ];
        await using var connection = new SqliteConnection($"Data Source={_index.Database.FilePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO tuning_runs (run_id, created_at, revision, record) VALUES ($id, $at, 3, $record);";
        command.Parameters.AddWithValue("$id", run.RunId);
        command.Parameters.AddWithValue("$at", Noon.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$record", TuningJson.Serialize(run));
        await command.ExecuteNonQueryAsync();
        foreach (var change in changes)
        {
            command.Parameters.Clear();
            command.CommandText = "INSERT INTO model_changes (sequence, record) VALUES ($sequence, $record);";
            command.Parameters.AddWithValue("$sequence", change.Sequence);
            command.Parameters.AddWithValue("$record", TuningJson.Serialize(change));
            await command.ExecuteNonQueryAsync();
        }

        return (run, changes);
    }

    private static async Task<Interaction> RecordAsync(SqliteInteractionStore store, string question)
    {
        var interaction = NewInteraction(question);
        await store.RecordAsync(interaction);
        return interaction;
    }

    private static Interaction NewInteraction(string question) => new(
        Ulid.New(TimeProvider.System), Noon, question, [], question, SearchMode.Hybrid, 0.3f, [],
        [new PromptMessage("system", "Answer from the documents."), new PromptMessage("user", $"Question: {question}")],
        "v1", "extractive", "Two years [1].", true, TokenUsage.None, new AnswerTimings(1, 0), []);

    private static async Task<long> ScalarAsync(string path, string sql) =>
        Convert.ToInt64(await QueryAsync(path, sql), CultureInfo.InvariantCulture);

    private static async Task<string> TextAsync(string path, string sql) => (string)(await QueryAsync(path, sql))!;

    private static async Task<object?> QueryAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
