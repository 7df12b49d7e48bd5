using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ragtune.Core.Feedback;

namespace Ragtune.Functions.Feedback;

/// <summary>
/// Hourly, as <c>ragtune serve</c> does: deletes the answers past <c>Ragtune:Feedback:Retention</c>, a rated one only
/// once an export holds its rating (nothing when no retention is set). On its own timer, so that an export that fails
/// does not hold retention back.
/// </summary>
public sealed partial class ApplyRetentionFunction(InteractionRetention retention, ILogger<ApplyRetentionFunction> logger)
{
    [Function("ApplyRetention")]
    public async Task RunAsync([TimerTrigger("0 30 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var deleted = await retention.ApplyAsync(cancellationToken);
        LogApplied(logger, deleted, timer.IsPastDue);
    }

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Retention: {Deleted} answers deleted (late run: {PastDue})")]
    private static partial void LogApplied(ILogger logger, int deleted, bool pastDue);
}
