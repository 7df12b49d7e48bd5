using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Feedback;

namespace Ragtune.Cli.Feedback;

/// <summary>
/// Applies <c>Ragtune:Feedback:Retention</c> while <c>ragtune serve</c> runs: at start, then every hour. Does nothing
/// when no retention is set. A failed run is logged and the next one tries again.
/// </summary>
internal sealed partial class RetentionSchedule(InteractionRetention retention, TimeProvider time, ILogger<RetentionSchedule> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (retention.Retention is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await retention.ApplyAsync(stoppingToken);
            }
            catch (Exception exception) when (ScheduledWork.IsRecoverable(exception))
            {
                LogRetentionFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Error, Message = "Applying the interaction retention failed; the next hourly run tries again")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);
}
