using Microsoft.Extensions.Logging;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>The tuning runs' log messages (event ids 1501-1599, in Core's 1000-1999). Runs and models are named by id, never by content.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Tuning run {RunId}: {From} -> {To}")]
    public static partial void Moved(ILogger logger, string runId, TuningState from, TuningState to);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Tuning run {RunId}: job {JobId} created on {BaseModel}")]
    public static partial void JobCreated(ILogger logger, string runId, string jobId, string baseModel);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Tuning run {RunId}: resumed after asking for a job; found job {JobId}, which it keeps instead of creating another")]
    public static partial void JobFound(ILogger logger, string runId, string jobId);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "Tuning run {RunId}: resumed after asking for a job, and the service has none for it; asking again")]
    public static partial void JobNotFound(ILogger logger, string runId);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Tuning run {RunId} is held up ({Code}); it goes on from {State} later")]
    public static partial void Interrupted(ILogger logger, Exception exception, string runId, string code, TuningState state);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Error, Message = "Tuning run {RunId} failed: {Code}")]
    public static partial void Failed(ILogger logger, string runId, string code);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "Tuning run {RunId}: {Verdict} on {Examples} validation examples, difference {Difference:0.0000}, 95% interval [{Low:0.0000}, {High:0.0000}]")]
    public static partial void Judged(ILogger logger, string runId, TuningVerdict verdict, int examples, double difference, double low, double high);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "The active chat model is now {Model} (run {RunId})")]
    public static partial void Promoted(ILogger logger, string model, string runId);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Information, Message = "Rolled back from {From}; the active chat model is now {Model}")]
    public static partial void RolledBack(ILogger logger, string from, string model);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Tuning run {RunId} was changed by another host; reading it again")]
    public static partial void Conflict(ILogger logger, string runId);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "The active chat model could not be read; answering with the model read last")]
    public static partial void ActiveModelUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Warning, Message = "Could not delete the deployment {Deployment}; delete it by hand (a deployed fine-tuned model is billed by the hour)")]
    public static partial void DeploymentNotDeleted(ILogger logger, Exception exception, string deployment);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Information, Message = "Auto-tune: started run {RunId} for the new export")]
    public static partial void AutoTuneStarted(ILogger logger, string runId);
}
