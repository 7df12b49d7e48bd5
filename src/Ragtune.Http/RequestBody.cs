using System.Text.Json;
using Ragtune.Core.Api;

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

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return ApiProblem.BodyTooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), RagtuneJson.Options);
            return value is null ? ApiProblem.MalformedJson() : value;
        }
        catch (JsonException)
        {
            return ApiProblem.MalformedJson();
        }
    }
}
