using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Core;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>
/// Ragtune:Feedback:Retention over the SQLite file, beyond the store contract's retention cases: deleting in batches, and
/// the retention service taking the newest export's watermark.
/// </summary>
public sealed class SqliteInteractionRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly TestIndex _index = TestIndex.Create();
    private readonly SqliteInteractionStore _store;

    public SqliteInteractionRetentionTests() => _store = new SqliteInteractionStore(_index.Ratings);

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task DeleteRecordedBefore_MoreThanOneBatch_DeletesEveryOne()
    {
        for (var i = 0; i < 1203; i++)
        {
            await RecordAsync(Now.AddDays(-40).AddSeconds(i));
        }

        Assert.Equal(1203, await _store.DeleteRecordedBeforeAsync(Now.AddDays(-30), null));
        Assert.Equal(0, await _store.DeleteRecordedBeforeAsync(Now.AddDays(-30), null));
    }

    [Fact]
    public async Task Retention_TakesTheNewestExportsWatermarkAndTheConfiguredPeriod()
    {
        var old = await RecordAsync(DateTimeOffset.UtcNow.AddDays(-100));
        await RateAsync(old, DateTimeOffset.UtcNow.AddDays(-99));
        var storage = Options.Create(_index.Options);
        var writer = new DatasetWriter(new DatasetFolderStore(Options.Create(new DatasetFolderOptions()), storage), NullLogger<DatasetWriter>.Instance);
        var retention = new InteractionRetention(
            _store, writer, Options.Create(new FeedbackOptions { Retention = TimeSpan.FromDays(90) }), TimeProvider.System, NullLogger<InteractionRetention>.Instance);

        Assert.Equal(0, await retention.ApplyAsync());
        var exporter = new DatasetExporter(
            _store, _index.Catalog, writer, Options.Create(new FineTuningOptions { MinTrainingExamples = 1, ValidationPercent = 0 }),
            TimeProvider.System, NullLogger<DatasetExporter>.Instance);
        Assert.Equal(DatasetExportOutcome.Exported, (await exporter.ExportAsync()).Outcome);
        Assert.Equal(1, await retention.ApplyAsync());
        Assert.Null(await _store.FindAsync(old));
    }

    private async Task<string> RecordAsync(DateTimeOffset createdAt)
    {
        var interaction = new Interaction(
            Ulid.New(TimeProvider.System), createdAt, "How long is the warranty?", [], "How long is the warranty?", SearchMode.Hybrid, 0.3f, [],
            [new PromptMessage("system", "Answer from the documents."), new PromptMessage("user", "Question: How long is the warranty?")],
            "v1", "extractive", "Two years [1].", true, TokenUsage.None, new AnswerTimings(1, 0), []);
        await _store.RecordAsync(interaction);
        return interaction.AnswerId;
    }

    private Task RateAsync(string answerId, DateTimeOffset at) =>
        _store.SaveFeedbackAsync(new AnswerFeedback(answerId, FeedbackRating.Up, null, null, at));
}
