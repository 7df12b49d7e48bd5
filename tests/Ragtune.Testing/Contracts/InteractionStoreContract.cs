using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Xunit;
using Ragtune.Core;

namespace Ragtune.Testing.Contracts;

/// <summary>
/// What every <see cref="IInteractionStore"/> does (SQLite, Table Storage): derive, give the store under test (whose
/// clock, if it has one, is well past <see cref="Noon"/>), and run.
/// </summary>
public abstract class InteractionStoreContract
{
    protected static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An empty store of the test's own.</summary>
    protected abstract IInteractionStore Store { get; }

    [Fact]
    public async Task Record_ThenFind_ReturnsTheInteractionAsRecorded()
    {
        var interaction = await RecordAsync("How long is the warranty?");

        var found = await Store.FindAsync(interaction.AnswerId);

        Assert.NotNull(found);
        Assert.Equal(interaction.Prompt, found.Prompt);
        Assert.Equal(interaction.CallerGroups, found.CallerGroups);
        Assert.Equal(interaction.Answer, found.Answer);
    }

    [Fact]
    public async Task SaveFeedback_UnknownAnswer_ReturnsNullAndSavesNothing()
    {
        var saved = await Store.SaveFeedbackAsync(new AnswerFeedback(Ulid.New(TimeProvider.System), FeedbackRating.Up, null, null, Noon));

        Assert.Null(saved);
        Assert.Null(await Store.GetFeedbackWatermarkAsync());
    }

    [Fact]
    public async Task SaveFeedback_Again_ReplacesTheEarlierRating()
    {
        var interaction = await RecordAsync("How long is the warranty?");
        await Store.SaveFeedbackAsync(new AnswerFeedback(interaction.AnswerId, FeedbackRating.Up, null, "great", Noon));

        await Store.SaveFeedbackAsync(new AnswerFeedback(interaction.AnswerId, FeedbackRating.Down, "Two years.", null, Noon.AddMinutes(1)));

        var rated = Assert.Single(await ReadAllAsync(Noon.AddDays(1)));
        Assert.Equal(interaction.AnswerId, rated.Interaction.AnswerId);
        Assert.Equal(new AnswerFeedback(interaction.AnswerId, FeedbackRating.Down, "Two years.", null, Noon.AddMinutes(1)), rated.Feedback);
    }

    [Fact]
    public async Task SaveFeedback_StampsAWatermarkLaterThanEveryEarlierOne_EvenWhenTheClockIsBehind()
    {
        var first = await RecordAsync("first");
        var second = await RecordAsync("second");
        var saved = await Store.SaveFeedbackAsync(new AnswerFeedback(first.AnswerId, FeedbackRating.Up, null, null, Noon));

        var later = await Store.SaveFeedbackAsync(new AnswerFeedback(second.AnswerId, FeedbackRating.Up, null, null, Noon.AddSeconds(-5)));
        var again = await Store.SaveFeedbackAsync(new AnswerFeedback(second.AnswerId, FeedbackRating.Down, null, null, Noon));

        Assert.Equal(Noon, saved!.RatedAt);
        Assert.Equal(Noon.AddTicks(1), later!.RatedAt);
        Assert.Equal(Noon.AddTicks(2), again!.RatedAt);
        Assert.Equal(Noon.AddTicks(2), await Store.GetFeedbackWatermarkAsync());
    }

    [Fact]
    public async Task ReadRated_ReturnsRatingsUpToTheWatermarkInAnswerIdOrder()
    {
        var answers = new List<Interaction>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await RecordAsync($"question {i}"));
        }

        await RecordAsync("never rated");
        int[] saveOrder = [3, 0, 4, 1, 2];
        foreach (var (index, minute) in saveOrder.Select((index, minute) => (index, minute)))
        {
            await Store.SaveFeedbackAsync(new AnswerFeedback(answers[index].AnswerId, FeedbackRating.Up, null, null, Noon.AddMinutes(minute)));
        }

        var upToTwo = await ReadAllAsync(Noon.AddMinutes(2));
        var all = await ReadAllAsync(Noon.AddDays(1));

        Assert.Equal(saveOrder.Take(3).Select(i => answers[i].AnswerId).Order(StringComparer.Ordinal), upToTwo.Select(r => r.Interaction.AnswerId));
        Assert.Equal(answers.Select(a => a.AnswerId).Order(StringComparer.Ordinal), all.Select(r => r.Interaction.AnswerId));
    }

    [Fact]
    public async Task ReadRated_LeavesOutAnAnswerReRatedAfterTheWatermark()
    {
        var answer = await RecordAsync("question");
        await Store.SaveFeedbackAsync(new AnswerFeedback(answer.AnswerId, FeedbackRating.Up, null, null, Noon));
        var watermark = (await Store.GetFeedbackWatermarkAsync())!.Value;

        await Store.SaveFeedbackAsync(new AnswerFeedback(answer.AnswerId, FeedbackRating.Down, null, null, Noon.AddMinutes(1)));

        Assert.Empty(await ReadAllAsync(watermark));
        Assert.Single(await ReadAllAsync(Noon.AddMinutes(1)));
    }

    [Fact]
    public async Task DeleteRecordedBefore_DeletesOldUnratedAndOldExportedAnswers_KeepsNewOnesAndUnexportedRatings()
    {
        var oldUnrated = await RecordAsync("old, unrated", Noon.AddDays(-40));
        var oldExported = await RecordAsync("old, rating exported", Noon.AddDays(-40));
        var oldRatedLater = await RecordAsync("old, rated after the export", Noon.AddDays(-40));
        var recent = await RecordAsync("recent", Noon.AddDays(-5));
        await RateAsync(oldExported, Noon.AddDays(-39));
        await RateAsync(recent, Noon.AddDays(-4));
        var exportedUpTo = Noon.AddDays(-3);
        await RateAsync(oldRatedLater, Noon.AddDays(-1));

        var deleted = await Store.DeleteRecordedBeforeAsync(Noon.AddDays(-30), exportedUpTo);

        Assert.Equal(2, deleted);
        Assert.Null(await Store.FindAsync(oldUnrated.AnswerId));
        Assert.Null(await Store.FindAsync(oldExported.AnswerId));
        Assert.NotNull(await Store.FindAsync(oldRatedLater.AnswerId));
        Assert.NotNull(await Store.FindAsync(recent.AnswerId));
        Assert.Equal(
            new[] { oldRatedLater.AnswerId, recent.AnswerId }.Order(StringComparer.Ordinal),
            (await ReadAllAsync(Noon)).Select(r => r.Interaction.AnswerId));
    }

    [Fact]
    public async Task DeleteRecordedBefore_NothingExportedYet_KeepsEveryRatedAnswer()
    {
        var rated = await RecordAsync("rated", Noon.AddDays(-40));
        var unrated = await RecordAsync("unrated", Noon.AddDays(-40));
        await RateAsync(rated, Noon.AddDays(-39));

        Assert.Equal(1, await Store.DeleteRecordedBeforeAsync(Noon.AddDays(-30), exportedUpTo: null));
        Assert.NotNull(await Store.FindAsync(rated.AnswerId));
        Assert.Null(await Store.FindAsync(unrated.AnswerId));
        Assert.Equal(0, await Store.DeleteRecordedBeforeAsync(Noon.AddDays(-30), exportedUpTo: null));
    }

    protected Task<Interaction> RecordAsync(string question) => RecordAsync(question, Noon);

    protected async Task<Interaction> RecordAsync(string question, DateTimeOffset createdAt)
    {
        var interaction = new Interaction(
            Ulid.New(TimeProvider.System), createdAt, question, [], question, SearchMode.Hybrid, 0.3f, [],
            [new PromptMessage("system", "Answer from the documents."), new PromptMessage("user", $"Context: (none)\n Question: {question}")],
            "v1", "extractive", "The documents do not cover this question.", false, TokenUsage.None, new AnswerTimings(1, 0), ["hr"]);
        await Store.RecordAsync(interaction);
        return interaction;
    }

    private Task RateAsync(Interaction interaction, DateTimeOffset at) =>
        Store.SaveFeedbackAsync(new AnswerFeedback(interaction.AnswerId, FeedbackRating.Up, null, null, at));

    protected async Task<List<RatedInteraction>> ReadAllAsync(DateTimeOffset upTo)
    {
        var rated = new List<RatedInteraction>();
        await foreach (var item in Store.ReadRatedAsync(upTo))
        {
            rated.Add(item);
        }

        return rated;
    }
}
