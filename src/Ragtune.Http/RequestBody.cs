using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Ragtune.Core.Api;
using Ragtune.Core.IO;

namespace Ragtune.Http;

/// <summary>
/// Reads a JSON request body within the size limit, the same way on both hosts: over the limit is 413 (checked on
/// Content-Length and again while reading, for chunked bodies), anything that is not a JSON object of the right
/// shape is 400. A body the client's framing breaks (shorter than its Content-Length, malformed chunks, the connection
/// dropped) is 400, or 408 when it arrives too slowly: the client's error, never a 5xx.
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

        byte[]? json;
        try
        {
            json = await BoundedRead.ReadAllAsync(body, maxBytes, cancellationToken);
        }
        catch (IOException exception)
        {
            return ForClientFraming(exception);
        }

        if (json is null)
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

    /// <summary>
    /// The problem for a body that could not be read (Kestrel's <see cref="BadHttpRequestException"/>, or the connection
    /// reset): 408 when it came too slowly, else 400.
    /// </summary>
    public static ApiProblem ForClientFraming(IOException exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => ApiProblem.RequestTimeout(),
        _ => ApiProblem.UnreadableBody(),
    };
}
