using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Functions.FineTuning;

/// <summary>
/// Every ten minutes, as <c>ragtune serve</c> does on its poll: goes on with the tuning runs in progress (a job to
/// follow, a candidate deployment to wait for and judge), and with <c>Ragtune:FineTuning:AutoTune</c> starts a run for
/// each new export that has files. Does nothing when no fine-tuning service is configured (the default). Each pass
/// takes only the steps that need no waiting, well inside the function timeout; the next pass goes on from the store.
/// </summary>
public sealed partial class TuneModelFunction(TuningCoordinator coordinator, ILogger<TuneModelFunction> logger)
{
    [Function("TuneModel")]
    public async Task RunAsync([TimerTrigger("0 */10 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        foreach (var run in await coordinator.RunOnceAsync(cancellationToken))
        {
            LogRun(logger, run.RunId, run.State, timer.IsPastDue);
        }
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Tuning run {RunId} is {State} (late run: {PastDue})")]
    private static partial void LogRun(ILogger logger, string runId, TuningState state, bool pastDue);
}
