using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.FineTuning;

namespace Ragtune.Cli.FineTuning;

/// <summary>
/// Runs the fine-tune export on the cron schedule <c>Ragtune:FineTuning:Schedule</c> (UTC) while <c>ragtune serve</c>
/// runs. A failed run is logged and the next occurrence tries again; an export with no new rating writes nothing.
/// </summary>
internal sealed partial class ExportSchedule(
    DatasetExporter exporter,
    IOptions<FineTuningOptions> options,
    TimeProvider time,
    ILogger<ExportSchedule> logger) : BackgroundService
{
    /// <summary>Task.Delay takes at most about 49 days; longer waits are taken in steps.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = ExportScheduleExpression.Parse(options.Value.Schedule);
        if (schedule is null)
        {
            LogNoSchedule(logger);
            return;
        }

        while (schedule.NextAfter(time.GetUtcNow()) is { } next)
        {
            LogNextRun(logger, next);
            for (var now = time.GetUtcNow(); now < next; now = time.GetUtcNow())
            {
                var wait = next - now;
                await Task.Delay(wait < LongestWait ? wait : LongestWait, time, stoppingToken);
            }

            try
            {
                await exporter.ExportAsync(stoppingToken);
            }
            catch (Exception exception) when (ScheduledWork.IsRecoverable(exception))
            {
                LogExportFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "No export schedule (Ragtune:FineTuning:Schedule is empty)")]
    private static partial void LogNoSchedule(ILogger logger);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "The next fine-tune export runs at {NextRun:O}")]
    private static partial void LogNextRun(ILogger logger, DateTimeOffset nextRun);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "The scheduled fine-tune export failed; the next occurrence tries again")]
    private static partial void LogExportFailed(ILogger logger, Exception exception);
}
