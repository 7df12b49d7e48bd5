using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Azure.Storage;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>Answers and ratings on Table Storage (Azurite): the contract the SQLite store passes, and what many instances need.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableInteractionStoreTests : InteractionStoreContract
{
    private readonly StorageTables _tables;
    private readonly IOptions<AzureStorageOptions> _options;
    private readonly TableInteractionStore _store;

    public TableInteractionStoreTests(Azurite azurite)
    {
        _tables = AzuriteStorage.Tables(azurite);
        _options = AzuriteStorage.UniqueOptions(azurite);
        _store = new TableInteractionStore(_tables, _options, new FakeTimeProvider(Noon.AddDays(30)));
    }

    protected override IInteractionStore Store => _store;

    [Fact]
    public async Task Record_LargeInteraction_SpansSeveralPropertiesAndComesBackWhole()
    {
        var chunks = Enumerable.Range(1, 40)
            .Select(i => new Citation(i, $"doc{i}", $"handbook/{i}.pdf", i, $"doc{i}-0", 0.5f, string.Join(' ', Enumerable.Range(0, 400).Select(w => $"w{(w * 7919) + i}"))))
            .ToList();
        var interaction = await RecordAsync("How long is the warranty?") with { AnswerId = Ulid.New(TimeProvider.System), Chunks = chunks };
        await Store.RecordAsync(interaction);

        var found = await Store.FindAsync(interaction.AnswerId);

        Assert.Equal(chunks, found!.Chunks);
    }

    [Fact]
    public async Task Record_SameAnswerTwice_IsAnError()
    {
        var interaction = await RecordAsync("question");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RecordAsync(interaction));
    }

    [Fact]
    public async Task SaveFeedback_FromManyCallersAtOnce_TakesDistinctIncreasingStamps()
    {
        var answers = new List<Interaction>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await RecordAsync($"question {i}"));
        }

        var saved = await Task.WhenAll(answers.Select(a => Store.SaveFeedbackAsync(new AnswerFeedback(a.AnswerId, FeedbackRating.Up, null, null, Noon))));

        Assert.Equal(8, saved.Select(s => s!.RatedAt).Distinct().Count());
        Assert.Equal(saved.Max(s => s!.RatedAt), await Store.GetFeedbackWatermarkAsync());
    }

    [Fact]
    public async Task Watermark_StaysBehindTheClockBySettleTime()
    {
        var answer = await RecordAsync("question");
        await Store.SaveFeedbackAsync(new AnswerFeedback(answer.AnswerId, FeedbackRating.Up, null, null, Noon));
        var soonAfter = new TableInteractionStore(_tables, _options, new FakeTimeProvider(Noon.AddSeconds(10)));

        var watermark = await soonAfter.GetFeedbackWatermarkAsync();

        Assert.Equal(Noon.AddSeconds(10) - _options.Value.FeedbackSettleTime, watermark);
        Assert.Empty(await ReadAllAsync(watermark!.Value));
    }
}
