using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;

namespace Ragtune.Core;

/// <summary>
/// GET /api/health: asks each dependency something cheap (the embedding model one short input, the catalog one
/// lookup), adds why any part reported itself not ready (<see cref="ServiceReadiness"/>: the search index while it is
/// created or refused), and names the providers. The chat model is named but not called: health checks must not cost tokens.
/// </summary>
public sealed partial class HealthCheck(
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    EmbeddingModelProfile embeddingModel,
    IChunkIndex index,
    IDocumentCatalog catalog,
    ChatModelProfile chatModel,
    ServiceReadiness readiness,
    ILogger<HealthCheck> logger)
{
    public async Task<HealthResponse> CheckAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        await ProbeAsync("embeddings", () => embeddings.GenerateAsync(["health"], cancellationToken: cancellationToken), failures);
        await ProbeAsync("catalog", () => catalog.FindAsync("health", cancellationToken), failures);
        failures.AddRange(readiness.Reasons);
        return new HealthResponse(
            failures.Count == 0 ? "healthy" : "unhealthy",
            embeddingModel.ModelId,
            index.GetType().Name,
            chatModel.ModelId,
            failures.Count == 0 ? null : failures);
    }

    private async Task ProbeAsync(string dependency, Func<Task> probe, List<string> failures)
    {
        try
        {
            await probe();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogProbeFailed(logger, dependency, exception);
            failures.Add(dependency);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Health probe of {Dependency} failed")]
    private static partial void LogProbeFailed(ILogger logger, string dependency, Exception exception);
}
