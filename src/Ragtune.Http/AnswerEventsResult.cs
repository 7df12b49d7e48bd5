using System.Buffers;
using System.Net.ServerSentEvents;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Http.Streams;

namespace Ragtune.Http;

/// <summary>
/// A streamed answer as server-sent events (<c>text/event-stream</c>), the same on both hosts: <c>citations</c>
/// (<c>{"citations":[...]}</c>), then <c>delta</c> events (<c>{"text":"..."}</c>), then <c>done</c> with the same body as
/// the JSON answer, each data one line of camelCase JSON. A failure after the stream has started ends it with an
/// <c>error</c> event holding the Problem Details (the status line is already sent).
/// </summary>
public sealed class AnswerEventsResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string EventStream = "text/event-stream";

    private readonly IAsyncEnumerable<AnswerEvent> _events;

    private AnswerEventsResult(IAsyncEnumerable<AnswerEvent> events) => _events = events;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => EventStream;

    /// <summary>True when the request's <c>Accept</c> values ask for server-sent events.</summary>
    public static bool IsWanted(HttpRequest request) =>
        request?.Headers.Accept.Any(a => a?.Contains(EventStream, StringComparison.OrdinalIgnoreCase) == true) == true;

    /// <summary>
    /// The stream once the answer itself begins (<see cref="StreamedAnswer.BeginAsync"/>), or the problem that came before
    /// it; exceptions that are not dependency failures propagate.
    /// </summary>
    public static async Task<(AnswerEventsResult? Stream, ApiProblem? Problem)> BeginAsync(
        IAsyncEnumerable<AnswerEvent> events, CancellationToken cancellationToken = default)
    {
        var (begun, problem) = await StreamedAnswer.BeginAsync(events, cancellationToken);
        return begun is null ? (null, problem) : (new AnswerEventsResult(begun), null);
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = EventStream;
        response.Headers.CacheControl = "no-cache";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var cancellationToken = httpContext.RequestAborted;
        return SseFormatter.WriteAsync(Items(_events, cancellationToken), response.Body, WriteData, cancellationToken);
    }

    /// <summary>
    /// Declares <c>text/event-stream</c> for 200. Beside a JSON answer of the same endpoint (<c>Ok&lt;AskResponse&gt;</c>,
    /// declared before it) it joins that response, so that 200 shows both media types rather than the last one only.
    /// </summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => PopulateMetadata(builder, typeof(AnswerEvent));

    /// <summary>Declares <c>text/event-stream</c> for 200, joining a JSON answer declared before it, else with <paramref name="eventType"/>.</summary>
    internal static void PopulateMetadata(EndpointBuilder builder, Type eventType)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var json = builder.Metadata.OfType<IProducesResponseTypeMetadata>().LastOrDefault(m => m.StatusCode == StatusCodes.Status200OK);
        if (json is null)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, eventType, [EventStream]));
            return;
        }

        builder.Metadata.Remove(json);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, json.Type, [.. json.ContentTypes, EventStream]));
    }

    /// <summary>The events as server-sent events, ending with an <c>error</c> event if the answer fails on the way.</summary>
    internal static async IAsyncEnumerable<SseItem<object>> Items(
        IAsyncEnumerable<AnswerEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var current in StreamedAnswer.EndingInFailure(events, cancellationToken))
        {
            yield return current switch
            {
                CitationsEvent citations => new SseItem<object>(new { citations.Citations }, "citations"),
                DeltaEvent delta => new SseItem<object>(new { delta.Text }, "delta"),
                DoneEvent done => new SseItem<object>(done.Response, "done"),
                AnswerFailedEvent failed => new SseItem<object>(ProblemBody.Of(failed.Problem), "error"),
                _ => throw new InvalidOperationException($"Unknown answer event {current.GetType().Name}."),
            };
        }
    }

    /// <summary>The data of an event: the API's JSON, which never holds a raw newline, so each event is one data line.</summary>
    private static void WriteData(SseItem<object> item, IBufferWriter<byte> output) =>
        output.Write(JsonSerializer.SerializeToUtf8Bytes(item.Data, item.Data.GetType(), RagtuneJson.Options));
}
