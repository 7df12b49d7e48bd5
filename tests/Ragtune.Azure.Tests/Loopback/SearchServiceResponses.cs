using System.Text.Json;
using System.Text.Json.Nodes;
using Ragtune.Testing.Loopback;

namespace Ragtune.Azure.Tests.Loopback;

/// <summary>
/// Answers as Azure AI Search's REST API (api-version 2023-11-01) does: the index definition echoed on PUT, a result per
/// document on <c>docs/search.index</c>, and <c>{"value": [...]}</c> search results.
/// </summary>
public static class SearchServiceResponses
{
    public const string ApiVersion = "2023-11-01";

    /// <summary>Answers every request like a healthy service whose searches find <paramref name="hits"/> (none by default).</summary>
    public static Func<RecordedRequest, LoopbackResponse> Healthy(Func<RecordedRequest, IReadOnlyList<object>>? hits = null) => request =>
        request switch
        {
            { Method: "PUT" } when request.Path.StartsWith("/indexes", StringComparison.Ordinal) => LoopbackResponse.Json(request.Body, 201),
            { Method: "POST" } when request.Path.EndsWith("/docs/search.index", StringComparison.Ordinal) => IndexResult(request),
            { Method: "POST" } when request.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal) => Results(hits?.Invoke(request) ?? []),
            _ => LoopbackResponse.Json("""{"error":{"code":"NotFound","message":"no such endpoint"}}""", 404),
        };

    /// <summary>Every action of an index batch succeeded.</summary>
    public static LoopbackResponse IndexResult(RecordedRequest request)
    {
        var keys = Actions(request).Select(a => a["id"]!.GetValue<string>());
        return LoopbackResponse.Json(JsonSerializer.Serialize(new { value = keys.Select(key => new { key, status = true, errorMessage = (string?)null, statusCode = 200 }) }));
    }

    /// <summary>A search response with these documents (each an object with <c>@search.score</c> and fields).</summary>
    public static LoopbackResponse Results(IReadOnlyList<object> documents) =>
        LoopbackResponse.Json(JsonSerializer.Serialize(new Dictionary<string, object> { ["value"] = documents }));

    /// <summary>The actions of a <c>docs/search.index</c> request.</summary>
    public static IReadOnlyList<JsonObject> Actions(RecordedRequest request) =>
        [.. JsonNode.Parse(request.Body)!["value"]!.AsArray().Select(a => a!.AsObject())];

    /// <summary>A hit as the service returns it.</summary>
    public static Dictionary<string, object?> Hit(double score, string chunkId, string source, float[] embedding, string[]? groups = null) => new()
    {
        ["@search.score"] = score,
        ["id"] = $"{chunkId}_gen",
        ["chunkId"] = chunkId,
        ["documentId"] = chunkId[..chunkId.LastIndexOf('-')],
        ["ordinal"] = 0,
        ["content"] = $"text of {chunkId}",
        ["source"] = source,
        ["page"] = 1,
        ["groups"] = groups ?? [],
        ["contentHash"] = "hash",
        ["embedding"] = embedding,
    };
}
