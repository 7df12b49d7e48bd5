using Microsoft.Extensions.Logging;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Ingestion;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Indexed {Source}: {Chunks} chunks, {EmbeddedChunks} newly embedded")]
    public static partial void DocumentIndexed(ILogger logger, string source, int chunks, int embeddedChunks);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Unchanged: {Source}")]
    public static partial void DocumentUnchanged(ILogger logger, string source);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Cannot read {Source} ({Failure}): {Reason}")]
    public static partial void DocumentUnreadable(ILogger logger, string source, DocumentReadFailure failure, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Ingestion of {Source} failed ({Reason}); the previous version is intact")]
    public static partial void DocumentIngestionFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Ingestion of {Source} failed with this exception")]
    public static partial void DocumentIngestionException(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Ingestion of {Source} stopped: the disk is full")]
    public static partial void DocumentStoppedByFullDisk(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Removed {Source}")]
    public static partial void DocumentRemoved(ILogger logger, string source);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Kept {Source}: it was ingested from {Origin}, so only an explicit removal removes it")]
    public static partial void DocumentKept(ILogger logger, string source, Index.DocumentOrigin origin);
}
