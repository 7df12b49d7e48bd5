using Microsoft.Extensions.Logging;

namespace Ragtune.Core.Answering;

internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Answered {AnswerId}: grounded {Grounded}, {Chunks} chunks, retrieval {RetrievalMs} ms, generation {GenerationMs} ms")]
    public static partial void Answered(ILogger logger, string answerId, bool grounded, int chunks, long retrievalMs, long generationMs);
}
