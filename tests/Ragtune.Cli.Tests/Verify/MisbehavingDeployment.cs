using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Cli.Tests.Verify;

/// <summary>One way for <see cref="MisbehavingDeployment"/> to break the API's contract (None: it keeps it).</summary>
public enum Misbehavior
{
    None,
    HealthUnavailable,
    HealthHangs,
    AskWithoutAnswerId,
    AskHangs,
    StreamWithoutDone,
    FeedbackAcceptsUnknownAnswer,
    MalformedBodyAnswered500,
    MalformedBodyAsPlainText,
    ForgedPrincipalBelieved,
}

/// <summary>
/// A stand-in for a Ragtune deployment on a loopback port (Kestrel, real sockets) that keeps the HTTP API's contract
/// (../shared/design/http-api.md) in every way but one <see cref="Misbehavior"/>, so that a test can show which check of
/// <c>ragtune verify</c> catches it. It lists a public document to everyone and, when it believes a forged
/// <c>x-ms-client-principal</c>, a <c>board</c> document too; it answers every question, grounded; it records the
/// headers of each request.
/// </summary>
public sealed class MisbehavingDeployment : IAsyncDisposable
{
    public const string RestrictedSource = "board-minutes.md";

    private static readonly DocumentInfo PublicDocument = Document("office-hours.md", []);
    private static readonly DocumentInfo RestrictedDocument = Document(RestrictedSource, ["board"]);

    private readonly Misbehavior _misbehavior;
    private readonly ConcurrentDictionary<string, bool> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private WebApplication _app = null!;

    private MisbehavingDeployment(Misbehavior misbehavior) => _misbehavior = misbehavior;

    /// <summary>The base URL, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    public static async Task<MisbehavingDeployment> StartAsync(Misbehavior misbehavior)
    {
        var deployment = new MisbehavingDeployment(misbehavior);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            deployment._calls.Enqueue(new RecordedCall(
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(context);
        });
        app.MapGet("/api/health", (Delegate)deployment.HealthAsync);
        app.MapGet("/api/documents", deployment.Documents);
        app.MapPost("/api/ask", deployment.AskAsync);
        app.MapPost("/api/feedback", deployment.RateAsync);
        await app.StartAsync();
        deployment._app = app;
        deployment.Url = new Uri(app.Urls.Single().TrimEnd('/') + "/");

        // One request first, so that the server's first-request work (routing, the endpoints' delegates) is not counted
        // against the timeout of the command under test on a busy machine.
        using (var client = new HttpClient())
        {
            using var warmUp = await client.GetAsync(new Uri(deployment.Url, "warm-up"));
        }

        deployment._calls.Clear();
        return deployment;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HealthAsync(HttpContext context)
    {
        if (_misbehavior == Misbehavior.HealthHangs)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        return _misbehavior == Misbehavior.HealthUnavailable
            ? Results.Json(new HealthResponse("unhealthy", "stand-in-embedding", "stand-in-index", "stand-in-chat", ["index"]), RagtuneJson.Options, statusCode: 503)
            : Results.Json(new HealthResponse("healthy", "stand-in-embedding", "stand-in-index", "stand-in-chat"), RagtuneJson.Options);
    }

    private IResult Documents(HttpContext context)
    {
        var believed = _misbehavior == Misbehavior.ForgedPrincipalBelieved && context.Request.Headers.ContainsKey("x-ms-client-principal");
        return Results.Json(new DocumentsResponse(believed ? [PublicDocument, RestrictedDocument] : [PublicDocument]), RagtuneJson.Options);
    }

    private async Task AskAsync(HttpContext context)
    {
        if (!await TryReadJsonAsync(context))
        {
            await MalformedAsync(context);
            return;
        }

        var answer = NewAnswer();
        if (!context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
        {
            if (_misbehavior == Misbehavior.AskHangs)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            var body = JsonSerializer.SerializeToNode(answer, RagtuneJson.Options)!.AsObject();
            if (_misbehavior == Misbehavior.AskWithoutAnswerId)
            {
                body.Remove("answerId");
            }

            await Results.Json(body).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await WriteEventAsync(context, "citations", new { answer.Citations });
        foreach (var piece in new[] { "The office opens ", "at eight [1]." })
        {
            await WriteEventAsync(context, "delta", new { Text = piece });
        }

        if (_misbehavior != Misbehavior.StreamWithoutDone)
        {
            await WriteEventAsync(context, "done", answer);
        }
    }

    private async Task RateAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var answerId = body.RootElement.GetProperty("answerId").GetString()!;
        if (_answers.ContainsKey(answerId) || _misbehavior == Misbehavior.FeedbackAcceptsUnknownAnswer)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        await Problem(ApiProblem.UnknownAnswer()).ExecuteAsync(context);
    }

    private Task MalformedAsync(HttpContext context) => _misbehavior switch
    {
        Misbehavior.MalformedBodyAnswered500 => Problem(ApiProblem.Internal()).ExecuteAsync(context),
        Misbehavior.MalformedBodyAsPlainText => Results.Text("Bad request", "text/plain", statusCode: 400).ExecuteAsync(context),
        _ => Problem(ApiProblem.MalformedJson()).ExecuteAsync(context),
    };

    private AskResponse NewAnswer()
    {
        var answerId = AnswerId.New(TimeProvider.System);
        _answers[answerId] = true;
        var citation = new Citation(1, PublicDocument.DocumentId, PublicDocument.Source, 1, PublicDocument.DocumentId + "-0", 0.61f, "The office opens at eight.");
        return new AskResponse(answerId, "The office opens at eight [1].", true, [citation], "stand-in-chat", new TokenUsage(10, 5), new AnswerTimings(3, 4));
    }

    private static async Task<bool> TryReadJsonAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string name, object data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, RagtuneJson.Options)}\n\n", Encoding.UTF8, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static IResult Problem(ApiProblem problem) =>
        Results.Json(problem.ToBody(), RagtuneJson.Options, "application/problem+json", problem.Status);

    private static DocumentInfo Document(string source, IReadOnlyList<string> groups) =>
        new(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(source.PadRight(16)[..16])), source, new string('0', 64), 1, DocumentStatus.Indexed, null, DateTimeOffset.UnixEpoch, groups);
}

/// <summary>A request to <see cref="MisbehavingDeployment"/>: method, path and headers (by name, any case).</summary>
public sealed record RecordedCall(string Method, string Path, IReadOnlyDictionary<string, string> Headers);
