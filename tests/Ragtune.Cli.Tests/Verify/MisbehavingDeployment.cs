using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Ragtune.Core;
using Ragtune.Core.Api;
using Ragtune.Core.Index;
using Ragtune.Http;
using Ragtune.Testing.Loopback;

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

/// <summary>What a <see cref="MisbehavingDeployment"/> asks of every call but health.</summary>
/// <param name="Key">The function key (<c>x-functions-key</c>); else 401 with no body, as the Functions host answers.</param>
/// <param name="Token">The bearer token; else 401 Problem Details with <c>WWW-Authenticate: Bearer</c>.</param>
public sealed record Credentials(string? Key = null, string? Token = null);

/// <summary>
/// A stand-in for a Ragtune deployment on a <see cref="LoopbackServer"/> that keeps the HTTP API's contract
/// (../shared/design/http-api.md) in every way but one <see cref="Misbehavior"/>, so that a test can show which check of
/// <c>ragtune verify</c> catches it. It lists a public document to everyone and, when it believes a forged
/// <c>x-ms-client-principal</c>, a <c>board</c> document too; it answers every question, grounded.
/// </summary>
public sealed class MisbehavingDeployment : IAsyncDisposable
{
    public const string RestrictedSource = "board-minutes.md";

    private static readonly DocumentInfo PublicDocument = Document("office-hours.md", []);
    private static readonly DocumentInfo RestrictedDocument = Document(RestrictedSource, ["board"]);

    private readonly LoopbackServer _server;
    private readonly Misbehavior _misbehavior;
    private readonly Credentials _required;
    private readonly ConcurrentDictionary<string, bool> _answers = new(StringComparer.Ordinal);

    private MisbehavingDeployment(LoopbackServer server, Misbehavior misbehavior, Credentials required)
    {
        _server = server;
        _misbehavior = misbehavior;
        _required = required;
    }

    /// <summary>The base URL, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url => _server.BaseAddress;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Calls => _server.Requests;

    public static async Task<MisbehavingDeployment> StartAsync(Misbehavior misbehavior, Credentials? required = null)
    {
        var deployment = new MisbehavingDeployment(await LoopbackServer.StartAsync(), misbehavior, required ?? new Credentials());
        deployment._server.Respond(deployment.Answer);
        return deployment;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private LoopbackResponse Answer(RecordedRequest request) => (request.Method, request.Path) switch
    {
        ("GET", "/api/health") => Health(),
        _ when _required.Key is { } key && request.Header("x-functions-key") != key => LoopbackResponse.Empty(401),
        _ when _required.Token is { } token && request.Header("Authorization") != $"Bearer {token}" =>
            Problem(new ApiProblem(401, "unauthorized", "A valid bearer token is required.", "Send a valid bearer token.")).WithHeader("WWW-Authenticate", "Bearer"),
        ("GET", "/api/documents") => Documents(request),
        ("POST", "/api/ask") => Ask(request),
        ("POST", "/api/feedback") => Rate(request),
        _ => Problem(ProblemBody.ForStatus(404)),
    };

    private LoopbackResponse Health() => _misbehavior switch
    {
        Misbehavior.HealthHangs => LoopbackResponse.Hang(),
        Misbehavior.HealthUnavailable => Json(new HealthResponse("unhealthy", "stand-in-embedding", "stand-in-index", "stand-in-chat", ["index"]), 503),
        _ => Json(new HealthResponse("healthy", "stand-in-embedding", "stand-in-index", "stand-in-chat")),
    };

    private LoopbackResponse Documents(RecordedRequest request)
    {
        var believed = _misbehavior == Misbehavior.ForgedPrincipalBelieved && request.Header("x-ms-client-principal") is not null;
        return Json(new DocumentsResponse(believed ? [PublicDocument, RestrictedDocument] : [PublicDocument]));
    }

    private LoopbackResponse Ask(RecordedRequest request)
    {
        if (!IsJson(request.Body))
        {
            return _misbehavior switch
            {
                Misbehavior.MalformedBodyAnswered500 => Problem(ApiProblem.Internal()),
                Misbehavior.MalformedBodyAsPlainText => new LoopbackResponse { Status = 400, ContentType = "text/plain", Body = ["Bad request"] },
                _ => Problem(ApiProblem.MalformedJson()),
            };
        }

        var answer = NewAnswer();
        if (request.Header("Accept")?.Contains("text/event-stream", StringComparison.Ordinal) == true)
        {
            string[] done = _misbehavior == Misbehavior.StreamWithoutDone ? [] : [Event("done", answer)];
            return new LoopbackResponse
            {
                ContentType = "text/event-stream",
                Body = [Event("citations", new { answer.Citations }), Event("delta", new { Text = "The office opens " }), Event("delta", new { Text = "at eight [1]." }), .. done],
            };
        }

        if (_misbehavior == Misbehavior.AskHangs)
        {
            return LoopbackResponse.Hang();
        }

        var body = JsonSerializer.SerializeToNode(answer, RagtuneJson.Options)!.AsObject();
        if (_misbehavior == Misbehavior.AskWithoutAnswerId)
        {
            body.Remove("answerId");
        }

        return LoopbackResponse.Json(body.ToJsonString());
    }

    private LoopbackResponse Rate(RecordedRequest request)
    {
        var answerId = request.Json.GetProperty("answerId").GetString()!;
        return _answers.ContainsKey(answerId) || _misbehavior == Misbehavior.FeedbackAcceptsUnknownAnswer
            ? LoopbackResponse.Empty(202)
            : Problem(ApiProblem.UnknownAnswer());
    }

    private AskResponse NewAnswer()
    {
        var answerId = Ulid.New(TimeProvider.System);
        _answers[answerId] = true;
        var citation = new Citation(1, PublicDocument.DocumentId, PublicDocument.Source, 1, PublicDocument.DocumentId + "-0", 0.61f, "The office opens at eight.");
        return new AskResponse(answerId, "The office opens at eight [1].", true, [citation], "stand-in-chat", new TokenUsage(10, 5), new AnswerTimings(3, 4));
    }

    private static bool IsJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Event(string name, object data) => $"event: {name}\ndata: {JsonSerializer.Serialize(data, RagtuneJson.Options)}\n\n";

    private static LoopbackResponse Json(object body, int status = 200) => LoopbackResponse.Json(JsonSerializer.Serialize(body, RagtuneJson.Options), status);

    private static LoopbackResponse Problem(ApiProblem problem) =>
        new() { Status = problem.Status, ContentType = ProblemBody.ContentType, Body = [JsonSerializer.Serialize(ProblemBody.Of(problem), RagtuneJson.Options)] };

    private static DocumentInfo Document(string source, IReadOnlyList<string> groups) =>
        new(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(source.PadRight(16)[..16])), source, new string('0', 64), 1, DocumentStatus.Indexed, null, DateTimeOffset.UnixEpoch, groups);
}
