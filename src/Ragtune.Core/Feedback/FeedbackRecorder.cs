namespace Ragtune.Core.Feedback;

/// <summary>Saves a rating of an answer, stamped with the time (POST /api/feedback on both hosts).</summary>
public sealed class FeedbackRecorder(IInteractionStore interactions, TimeProvider time)
{
    /// <summary>Saves the rating; returns it as saved, or null when no answer has the id.</summary>
    public Task<AnswerFeedback?> RateAsync(FeedbackSubmission submission, CancellationToken cancellationToken = default) =>
        interactions.SaveFeedbackAsync(
            new AnswerFeedback(submission.AnswerId, submission.Rating, submission.Correction, submission.Comment, time.GetUtcNow()),
            cancellationToken);
}

/// <summary>A validated rating, ready to save.</summary>
public sealed record FeedbackSubmission(string AnswerId, FeedbackRating Rating, string? Correction, string? Comment);
