using Ragtune.Core.Index;

namespace Ragtune.Core.Feedback;

/// <summary>Saves a rating of an answer, stamped with the time (POST /api/feedback on both hosts).</summary>
public sealed class FeedbackRecorder(IInteractionStore interactions, TimeProvider time)
{
    /// <summary>
    /// Saves the rating; returns it as saved, or null when no answer has the id or the caller may not rate it. A caller
    /// may rate an answer when they hold every group its asker held, so that nobody outside the asker's groups can
    /// steer the training data of an answer drawn from their documents (and learns no more than "unknown answer").
    /// </summary>
    public async Task<AnswerFeedback?> RateAsync(FeedbackSubmission submission, AccessScope caller, CancellationToken cancellationToken = default)
    {
        var interaction = await interactions.FindAsync(submission.AnswerId, cancellationToken);
        if (interaction is null || !MayRate(caller, interaction))
        {
            return null;
        }

        return await interactions.SaveFeedbackAsync(
            new AnswerFeedback(submission.AnswerId, submission.Rating, submission.Correction, submission.Comment, time.GetUtcNow()),
            cancellationToken);
    }

    /// <summary>True when <paramref name="caller"/> holds every group the answer's asker held.</summary>
    public static bool MayRate(AccessScope caller, Interaction interaction) =>
        caller.IsUnrestricted || interaction.CallerGroups.All(g => caller.Groups.Contains(g, StringComparer.Ordinal));
}

/// <summary>A validated rating, ready to save.</summary>
public sealed record FeedbackSubmission(string AnswerId, FeedbackRating Rating, string? Correction, string? Comment);
