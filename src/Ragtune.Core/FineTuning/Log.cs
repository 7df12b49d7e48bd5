using Microsoft.Extensions.Logging;

namespace Ragtune.Core.FineTuning;

/// <summary>The fine-tuning area's log messages (event ids 5001-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Exported {ExportName} ({Status}) from {RatedInteractions} rated answers: SFT {SftTrain} train / {SftValidation} validation, DPO {DpoTrain} train / {DpoValidation} validation, {Excluded} excluded, in {ElapsedMilliseconds:0} ms")]
    public static partial void Exported(
        ILogger logger, string exportName, DatasetStatus status, int ratedInteractions, int sftTrain, int sftValidation, int dpoTrain, int dpoValidation, int excluded, double elapsedMilliseconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "No rating since export {ExportName} (watermark {Watermark:O}); nothing to export")]
    public static partial void UpToDate(ILogger logger, string exportName, DateTimeOffset watermark);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "No answer has been rated yet; nothing to export")]
    public static partial void NothingRated(ILogger logger);
}
