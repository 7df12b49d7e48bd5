using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Cli.FineTuning;

/// <summary>
/// While <c>ragtune serve</c> runs, every <c>Ragtune:FineTuning:PollInterval</c>: goes on with the tuning runs in
/// progress (a job to follow, a candidate to judge, a run a restart left half-way), and with
/// <c>Ragtune:FineTuning:AutoTune</c> starts a run for each new export that has files. Does nothing when no fine-tuning
/// service is configured. A failed pass is logged and the next one goes on from what the store holds.
/// </summary>
internal sealed partial class TuningSchedule(
    TuningCoordinator coordinator,
    IFineTuningService service,
    IOptions<TuningOptions> options,
    TimeProvider time,
    ILogger<TuningSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!service.IsConfigured)
        {
            LogNoService(logger);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                await coordinator.RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (ScheduledWork.IsRecoverable(exception))
            {
                LogPassFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "No fine-tuning service (Ragtune:FineTuning:Provider is empty): no tuning runs")]
    private static partial void LogNoService(ILogger logger);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error, Message = "A tuning pass failed; the next one goes on from the stored runs")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
