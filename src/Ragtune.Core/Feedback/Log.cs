using Microsoft.Extensions.Logging;

namespace Ragtune.Core.Feedback;

/// <summary>The feedback area's log messages (event ids 7001-7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Deleted {Deleted} answers recorded more than {Retention} ago")]
    public static partial void RetentionApplied(ILogger logger, int deleted, TimeSpan retention);
}
