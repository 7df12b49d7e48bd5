using Ragtune.Core.Feedback;

namespace Ragtune.Core.Api;

/// <summary>
/// The body of POST /api/feedback: <c>{"answerId": "01J...", "rating": "up" | "down", "correction": "...", "comment": "..."}</c>.
/// A correction is a better answer and goes with a down rating; an empty or blank correction or comment counts as none.
/// </summary>
public sealed record FeedbackRequest(string? AnswerId, string? Rating, string? Correction = null, string? Comment = null)
{
    public const string Up = "up";
    public const string Down = "down";

    /// <summary>Checks the request against the limits and turns it into a rating for <see cref="FeedbackRecorder"/>.</summary>
    public ApiResult<FeedbackSubmission> Validate(ApiLimitsOptions limits)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var answerId = AnswerId?.Trim();
        if (string.IsNullOrEmpty(answerId))
        {
            errors["answerId"] = ["An answerId is required."];
        }
        else if (!Ulid.IsValid(answerId))
        {
            errors["answerId"] = ["The answerId must be the 26-character id of an answer."];
        }

        FeedbackRating? rating = Rating switch
        {
            Up => FeedbackRating.Up,
            Down => FeedbackRating.Down,
            _ => null,
        };
        if (rating is null)
        {
            errors["rating"] = ["The rating must be 'up' or 'down'."];
        }

        var correction = string.IsNullOrWhiteSpace(Correction) ? null : Correction.Trim();
        if (correction?.Length > limits.MaxCorrectionLength)
        {
            errors["correction"] = [$"The correction may be at most {limits.MaxCorrectionLength} characters."];
        }
        else if (correction is not null && rating == FeedbackRating.Up)
        {
            errors["correction"] = ["A correction goes with a 'down' rating."];
        }

        var comment = string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim();
        if (comment?.Length > limits.MaxCommentLength)
        {
            errors["comment"] = [$"The comment may be at most {limits.MaxCommentLength} characters."];
        }

        if (errors.Count > 0)
        {
            return ApiProblem.InvalidRequest(string.Join(" ", errors.Values.SelectMany(e => e)), errors);
        }

        // Answer ids are upper case; Crockford base32 reads lower case the same.
        return new FeedbackSubmission(answerId!.ToUpperInvariant(), rating!.Value, correction, comment);
    }
}
