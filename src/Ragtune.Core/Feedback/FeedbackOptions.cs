using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.Feedback;

/// <summary>How long answers and their ratings are kept (section <c>Ragtune:Feedback</c>).</summary>
public sealed class FeedbackOptions
{
    public const string SectionName = "Ragtune:Feedback";

    /// <summary>
    /// How long a recorded answer (question, context, answer) is kept; after that it is deleted with its rating, a rated
    /// one once an export holds its rating. Unset: kept until deleted by hand.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00", ErrorMessage = "Ragtune:Feedback:Retention must be between one hour and 100 years (d.hh:mm:ss, for example 90.00:00:00).")]
    public TimeSpan? Retention { get; set; }
}
