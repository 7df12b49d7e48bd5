using Ragtune.Core.Api;
using Ragtune.Core.Feedback;

namespace Ragtune.Core.Tests.Api;

public sealed class FeedbackRequestTests
{
    private static readonly string Id = Ulid.New(TimeProvider.System);
    private readonly ApiLimitsOptions _limits = new() { MaxCorrectionLength = 100, MaxCommentLength = 50 };

    [Fact]
    public void Validate_UpRating_IsASubmission()
    {
        var result = new FeedbackRequest(Id, "up").Validate(_limits);

        Assert.True(result.Succeeded);
        Assert.Equal(new FeedbackSubmission(Id, FeedbackRating.Up, null, null), result.Value);
    }

    [Fact]
    public void Validate_DownRatingWithCorrectionAndComment_KeepsThemTrimmed()
    {
        var result = new FeedbackRequest(Id.ToLowerInvariant(), "down", "  Two years. ", " wrong period ").Validate(_limits);

        Assert.True(result.Succeeded);
        Assert.Equal(new FeedbackSubmission(Id, FeedbackRating.Down, "Two years.", "wrong period"), result.Value);
    }

    [Fact]
    public void Validate_BlankCorrectionAndComment_CountAsNone()
    {
        var result = new FeedbackRequest(Id, "down", "  ", "").Validate(_limits);

        Assert.Equal(new FeedbackSubmission(Id, FeedbackRating.Down, null, null), result.Value);
    }

    [Theory]
    [InlineData(null, "up", null, null, "answerId")]
    [InlineData("", "up", null, null, "answerId")]
    [InlineData("not-an-id", "up", null, null, "answerId")]
    [InlineData("VALID", null, null, null, "rating")]
    [InlineData("VALID", "Up", null, null, "rating")]
    [InlineData("VALID", "meh", null, null, "rating")]
    [InlineData("VALID", "up", "A correction of a good answer.", null, "correction")]
    [InlineData("VALID", "down", "LONG", null, "correction")]
    [InlineData("VALID", "down", null, "LONG", "comment")]
    public void Validate_MalformedRequest_IsAnInvalidRequestNamingTheField(string? answerId, string? rating, string? correction, string? comment, string field)
    {
        var request = new FeedbackRequest(
            answerId == "VALID" ? Id : answerId,
            rating,
            correction == "LONG" ? new string('x', 101) : correction,
            comment == "LONG" ? new string('x', 51) : comment);

        var result = request.Validate(_limits);

        Assert.False(result.Succeeded);
        Assert.Equal(400, result.Problem.Status);
        Assert.Equal("invalid-request", result.Problem.Code);
        Assert.Equal([field], result.Problem.Errors!.Keys);
    }
}
