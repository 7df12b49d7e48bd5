using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ragtune.Core.FineTuning;

namespace Ragtune.Functions.FineTuning;

/// <summary>
/// On the app setting's schedule (daily by default, in infra): exports the rated answers to the <c>datasets</c> container.
/// </summary>
public sealed partial class ExportFineTuneDatasetFunction(DatasetExporter exporter, ILogger<ExportFineTuneDatasetFunction> logger)
{
    /// <summary>The setting holding the timer's NCRONTAB schedule (<see cref="Core.FineTuning.ExportScheduleExpression"/>): the one <c>ragtune serve</c> exports on.</summary>
    public const string ScheduleSetting = "Ragtune:FineTuning:Schedule";

    [Function("ExportFineTuneDataset")]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await exporter.ExportAsync(cancellationToken);
        LogExported(logger, result.Outcome, result.Location, timer.IsPastDue);
    }

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Fine-tune export: {Outcome} at {Location} (late run: {PastDue})")]
    private static partial void LogExported(ILogger logger, DatasetExportOutcome outcome, string? location, bool pastDue);
}
