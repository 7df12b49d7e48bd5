namespace Ragtune.Core.Feedback;

/// <summary>A user's rating of an answer: <c>up</c> or <c>down</c>.</summary>
public enum FeedbackRating
{
    Up,
    Down,
}

/// <summary>
/// The current rating of an answer. Rating an answer again replaces its feedback (last write wins), so an answer has
/// at most one.
/// </summary>
/// <param name="AnswerId">The rated answer.</param>
/// <param name="Rating">Up or down.</param>
/// <param name="Correction">A better answer, given with a down rating; null when none was given.</param>
/// <param name="Comment">A remark for people; never exported.</param>
/// <param name="RatedAt">
/// When the rating was saved, as the store stamped it: the export's watermark. A store keeps it increasing in the
/// order ratings become visible (see <see cref="IInteractionStore.SaveFeedbackAsync"/>).
/// </param>
public sealed record AnswerFeedback(string AnswerId, FeedbackRating Rating, string? Correction, string? Comment, DateTimeOffset RatedAt);

/// <summary>A recorded answer with its current feedback, as the export reads it.</summary>
public sealed record RatedInteraction(Interaction Interaction, AnswerFeedback Feedback);
