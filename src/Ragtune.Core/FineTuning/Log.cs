using Microsoft.Extensions.Logging;

namespace Ragtune.Core.FineTuning;

/// <summary>The fine-tuning area's log messages (event ids 1301-1399, in Core's 1000-1999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Exported {ExportName} ({Status}) from {RatedInteractions} rated answers: SFT {SftTrain} train / {SftValidation} validation, DPO {DpoTrain} train / {DpoValidation} validation, {Excluded} excluded, in {ElapsedMilliseconds:0} ms")]
    public static partial void Exported(
        ILogger logger, string exportName, DatasetStatus status, int ratedInteractions, int sftTrain, int sftValidation, int dpoTrain, int dpoValidation, int excluded, double elapsedMilliseconds);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "No rating since export {ExportName} (watermark {Watermark:O}); nothing to export")]
    public static partial void UpToDate(ILogger logger, string exportName, DateTimeOffset watermark);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "No answer has been rated yet; nothing to export")]
    public static partial void NothingRated(ILogger logger);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Removing {Export} from {Location}: an export that stopped before its manifest")]
    public static partial void IncompleteExportRemoved(ILogger logger, string export, string location);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Could not remove {Export} from {Location}, an export without a manifest; it stays invisible and the next export tries again")]
    public static partial void ExportNotRemoved(ILogger logger, Exception exception, string export, string location);
}
