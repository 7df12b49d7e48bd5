using System.Text.Json;
using Ragtune.Core.Api;
using Ragtune.Core.IO;

namespace Ragtune.Http;

/// <summary>
/// Reads a JSON request body within the size limit, the same way on both hosts: over the limit is 413 (checked on
/// Content-Length and again while reading, for chunked bodies), anything that is not a JSON object of the right
/// shape is 400.
/// </summary>
public static class RequestBody
{
    public static async Task<ApiResult<T>> ReadAsync<T>(Stream body, long? contentLength, int maxBytes, CancellationToken cancellationToken = default)
        where T : class
    {
        if (contentLength > maxBytes)
        {
            return ApiProblem.BodyTooLarge(maxBytes);
        }

        if (await BoundedRead.ReadAllAsync(body, maxBytes, cancellationToken) is not { } json)
        {
            return ApiProblem.BodyTooLarge(maxBytes);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(json, RagtuneJson.Options);
            return value is null ? ApiProblem.MalformedJson() : value;
        }
        catch (JsonException)
        {
            return ApiProblem.MalformedJson();
        }
    }
}
