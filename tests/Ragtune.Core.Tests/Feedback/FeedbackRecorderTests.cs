using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.Feedback;

/// <summary>Only callers who hold every group of an answer's asker may rate it; anyone else learns "unknown answer".</summary>
public sealed class FeedbackRecorderTests
{
    private readonly InMemoryInteractionStore _store = new();

    [Theory]
    [InlineData(new string[0], new string[0], true)]
    [InlineData(new string[0], new[] { "sales" }, true)]
    [InlineData(new[] { "board" }, new[] { "board" }, true)]
    [InlineData(new[] { "board" }, new[] { "hr", "board" }, true)]
    [InlineData(new[] { "board" }, new string[0], false)]
    [InlineData(new[] { "board" }, new[] { "hr" }, false)]
    [InlineData(new[] { "board", "hr" }, new[] { "hr" }, false)]
    public async Task Rate_IsSavedOnlyWhenTheCallerHoldsEveryGroupOfTheAsker(string[] askerGroups, string[] callerGroups, bool saved)
    {
        var answerId = await RecordAsync(askerGroups);

        var result = await Recorder().RateAsync(new FeedbackSubmission(answerId, FeedbackRating.Down, "Poisoned.", null), AccessScope.ForGroups(callerGroups));

        Assert.Equal(saved, result is not null);
        Assert.Equal(saved, await _store.GetFeedbackWatermarkAsync() is not null);
    }

    [Fact]
    public async Task Rate_Unrestricted_MayRateAnyAnswer()
    {
        var answerId = await RecordAsync(["board"]);

        Assert.NotNull(await Recorder().RateAsync(new FeedbackSubmission(answerId, FeedbackRating.Up, null, null), AccessScope.Unrestricted));
    }

    [Fact]
    public async Task Rate_UnknownAnswer_IsNull()
    {
        Assert.Null(await Recorder().RateAsync(new FeedbackSubmission(Ulid.New(TimeProvider.System), FeedbackRating.Up, null, null), AccessScope.Unrestricted));
    }

    private FeedbackRecorder Recorder() => new(_store, TimeProvider.System);

    private async Task<string> RecordAsync(IReadOnlyList<string> askerGroups)
    {
        var interaction = new Interaction(
            Ulid.New(TimeProvider.System), DateTimeOffset.UtcNow, "q?", [], "q?", SearchMode.Hybrid, 0.3f, [], [new PromptMessage("system", "s")],
            "v1", "extractive", "a", true, TokenUsage.None, new AnswerTimings(1, 1), askerGroups);
        await _store.RecordAsync(interaction);
        return interaction.AnswerId;
    }
}
