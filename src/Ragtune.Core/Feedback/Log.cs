using Microsoft.Extensions.Logging;

namespace Ragtune.Core.Feedback;

/// <summary>The feedback area's log messages (event ids 1401-1499, in Core's 1000-1999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Deleted {Deleted} answers recorded more than {Retention} ago")]
    public static partial void RetentionApplied(ILogger logger, int deleted, TimeSpan retention);
}
