using System.Text.Json.Serialization;

namespace Ragtune.Core.Api;

/// <summary>The body of GET /api/health.</summary>
/// <param name="Status"><c>healthy</c> when every dependency answered, else <c>unhealthy</c>.</param>
/// <param name="EmbeddingModel">The embedding model.</param>
/// <param name="Index">The chunk index.</param>
/// <param name="ChatModel">The chat model.</param>
/// <param name="Failures">The dependencies that did not answer (names only, no internals), and why a part is not ready
/// (<c>index not ready: 403 Forbidden from Azure AI Search; role assignments can take minutes</c>).</param>
public sealed record HealthResponse(string Status, string EmbeddingModel, string Index, string ChatModel, IReadOnlyList<string>? Failures = null)
{
    /// <summary>For the host to choose the status code; not part of the body, which says <see cref="Status"/>.</summary>
    [JsonIgnore]
    public bool IsHealthy => Status == "healthy";
}
