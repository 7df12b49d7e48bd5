using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Feedback;

/// <summary>
/// Deletes answers older than <see cref="FeedbackOptions.Retention"/>, with their ratings once the newest export holds
/// them (a rating not yet exported keeps its answer until the next export). <c>ragtune serve</c> runs it hourly; in
/// Azure the <c>ApplyRetention</c> timer function does.
/// </summary>
public sealed class InteractionRetention(
    IInteractionStore interactions,
    IDatasetWriter datasets,
    IOptions<FeedbackOptions> options,
    TimeProvider time,
    ILogger<InteractionRetention> logger)
{
    /// <summary>The retention period, or null when records are kept.</summary>
    public TimeSpan? Retention => options.Value.Retention;

    /// <summary>Deletes what is past retention; returns how many answers were deleted (0 when no retention is set).</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.Retention is not { } retention)
        {
            return 0;
        }

        var exported = (await datasets.ReadLatestManifestAsync(cancellationToken))?.Watermark.To;
        var deleted = await interactions.DeleteRecordedBeforeAsync(time.GetUtcNow() - retention, exported, cancellationToken);
        Log.RetentionApplied(logger, deleted, retention);
        return deleted;
    }
}
