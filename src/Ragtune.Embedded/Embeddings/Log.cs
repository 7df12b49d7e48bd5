using Microsoft.Extensions.Logging;

namespace Ragtune.Embedded.Embeddings;

internal static partial class Log
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Loaded {ModelId} with {Sessions} sessions of {IntraOpThreads} threads in {ElapsedMilliseconds} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelId, int sessions, int intraOpThreads, long elapsedMilliseconds);
}
