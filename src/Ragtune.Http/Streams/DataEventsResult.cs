using System.Net.ServerSentEvents;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ragtune.Http.Streams;

/// <summary>
/// Server-sent events with data lines only, no event names, as the front-end protocols send them (OpenAI's
/// <c>chat.completion.chunk</c> stream and the AI SDK's UI message stream): each event's data is one line of JSON, or
/// the closing <c>[DONE]</c>. The protocol's own headers go with the response.
/// </summary>
public sealed class DataEventsResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    /// <summary>The data of the event that closes both front-end protocols' streams.</summary>
    public const string Done = "[DONE]";

    private readonly IAsyncEnumerable<string> _data;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

    public DataEventsResult(IAsyncEnumerable<string> data, params IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _data = data;
        _headers = headers;
    }

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => AnswerEventsResult.EventStream;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = AnswerEventsResult.EventStream;
        response.Headers.CacheControl = "no-cache";
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var cancellationToken = httpContext.RequestAborted;
        return SseFormatter.WriteAsync(Items(_data, cancellationToken), response.Body, cancellationToken);
    }

    /// <summary>Declares <c>text/event-stream</c> for 200, beside a JSON answer of the same endpoint declared before it.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AnswerEventsResult.PopulateMetadata(builder, typeof(string));

    private static async IAsyncEnumerable<SseItem<string>> Items(IAsyncEnumerable<string> data, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in data.WithCancellation(cancellationToken))
        {
            yield return new SseItem<string>(line);
        }
    }
}
