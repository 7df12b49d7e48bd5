using Microsoft.Extensions.Logging;

namespace Ragtune.Embedded.Embeddings;

internal static partial class Log
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Loaded {ModelId} with {Sessions} sessions of {IntraOpThreads} threads from {ModelSource} in {ElapsedMilliseconds} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelId, int sessions, int intraOpThreads, string modelSource, long elapsedMilliseconds);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Could not write the model file to {ModelCacheDirectory}; loading it from the package resource, which takes more memory")]
    public static partial void ModelCacheFailed(ILogger logger, string modelCacheDirectory, Exception exception);
}
