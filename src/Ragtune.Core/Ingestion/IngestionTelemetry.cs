using System.Diagnostics;
using Ragtune.Core.Documents;
using Ragtune.Core.Telemetry;

namespace Ragtune.Core.Ingestion;

/// <summary>How an ingestion's result is traced and counted: its outcome, and a failure's reason code (never its message, which names the path).</summary>
internal static class IngestionTelemetry
{
    /// <summary>
    /// Tags the document's span and counts the document: indexed or unchanged as ingested, a new failure as failed. A
    /// document that failed before and has not changed is traced as unchanged and not counted again.
    /// </summary>
    public static void Record(Activity? span, RagtuneMetrics metrics, IngestionResult result)
    {
        var (outcome, exception) = result switch
        {
            { Outcome: IngestionOutcome.Indexed } => ("indexed", null),
            { Outcome: IngestionOutcome.Unchanged } or { Exception: null } => ("unchanged", null),
            { Outcome: IngestionOutcome.PermanentFailure } => ("permanent_failure", result.Exception),
            _ => ("transient_failure", result.Exception),
        };
        span?.SetTag(RagtuneTelemetry.Tags.Outcome, outcome);
        span?.SetTag(RagtuneTelemetry.Tags.Chunks, result.Chunks);
        span?.SetTag(RagtuneTelemetry.Tags.EmbeddedChunks, result.EmbeddedChunks);
        if (exception is null)
        {
            if (result.Outcome is IngestionOutcome.Indexed or IngestionOutcome.Unchanged)
            {
                metrics.DocumentIngested(outcome);
            }

            return;
        }

        var reason = ReasonCode(exception);
        RagtuneTelemetry.RecordFailure(span, exception);
        span?.SetTag(RagtuneTelemetry.Tags.Reason, reason);
        metrics.DocumentFailed(outcome, reason);
    }

    /// <summary>
    /// A short, fixed code for why a document failed: the read failure (<c>corrupt</c>, <c>too_large</c>...), the
    /// dependency and how it failed (<c>embeddings_throttled</c>), or else the exception's type name.
    /// </summary>
    public static string ReasonCode(Exception exception) => exception switch
    {
        DocumentReadException read => read.Failure switch
        {
            DocumentReadFailure.Unsupported => "unsupported",
            DocumentReadFailure.Empty => "empty",
            DocumentReadFailure.Corrupt => "corrupt",
            DocumentReadFailure.Encrypted => "encrypted",
            DocumentReadFailure.InvalidEncoding => "invalid_encoding",
            DocumentReadFailure.TooLarge => "too_large",
            DocumentReadFailure.InvalidAccessControl => "invalid_access_control",
            _ => "unreadable",
        },
        DependencyUnavailableException unavailable => unavailable.Failure switch
        {
            DependencyFailure.Throttled => $"{unavailable.Dependency}_throttled",
            DependencyFailure.Timeout => $"{unavailable.Dependency}_timeout",
            _ => $"{unavailable.Dependency}_unavailable",
        },
        _ => exception.GetType().Name,
    };
}
