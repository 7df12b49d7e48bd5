namespace Ragtune.Core.Feedback;

/// <summary>
/// Where answers and their ratings are kept: the SQLite file on the embedded default, Table Storage in Azure.
/// </summary>
/// <remarks>
/// The fine-tune export reads ratings by a watermark, the time a rating was saved (<see cref="AnswerFeedback.RatedAt"/>),
/// not by an autoincrement, so that a store without one (Table Storage) can implement it: one feedback entity per
/// answer (row key the answer id) with a timestamp property.
/// </remarks>
public interface IInteractionStore
{
    /// <summary>Records an answer. Recording the same answer id twice is an error.</summary>
    Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default);

    /// <summary>The recorded answer with this id, or null.</summary>
    Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the feedback of a recorded answer, replacing any earlier feedback of it (last write wins). Returns the
    /// feedback as saved, or null when no answer has this id. The store may move <see cref="AnswerFeedback.RatedAt"/>
    /// forward so that no rating saved later gets a watermark at or below <see cref="GetFeedbackWatermarkAsync"/>.
    /// </summary>
    Task<AnswerFeedback?> SaveFeedbackAsync(AnswerFeedback feedback, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest watermark that is final: every rating saved from now on gets a later one. Null when nothing has been
    /// rated. (SQLite stamps ratings in commit order, so this is the newest rating's; a store whose writers' clocks can
    /// disagree returns the newest one older than its allowance for skew.)
    /// </summary>
    Task<DateTimeOffset?> GetFeedbackWatermarkAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams every answer whose current feedback has a watermark at or before <paramref name="upTo"/>, with that
    /// feedback, ordered by answer id (ordinal). Each answer comes once, with its latest rating; an answer re-rated after
    /// <paramref name="upTo"/> is left out (the next export takes it).
    /// </summary>
    IAsyncEnumerable<RatedInteraction> ReadRatedAsync(DateTimeOffset upTo, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the answers recorded before <paramref name="recordedBefore"/>, with their feedback, except an answer whose
    /// feedback was saved after <paramref name="exportedUpTo"/> (the newest export's watermark; null: nothing exported
    /// yet): a rating is deleted only once an export holds it. Returns how many answers were deleted. Deletes in small
    /// batches, so that ratings and answers saved meanwhile are not held up for long.
    /// </summary>
    Task<int> DeleteRecordedBeforeAsync(DateTimeOffset recordedBefore, DateTimeOffset? exportedUpTo, CancellationToken cancellationToken = default);
}
