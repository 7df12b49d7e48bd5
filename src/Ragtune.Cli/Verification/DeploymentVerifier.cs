using System.Globalization;
using System.Text.Json;
using Ragtune.Core;

namespace Ragtune.Cli.Verification;

/// <summary>
/// The checks of <c>ragtune verify</c>, in order, against one deployment over HTTP only (../shared/design/http-api.md):
/// health; the documents listed; an ask as JSON and as a stream; a rating of the answer and of an unknown answer id; a
/// malformed body; with a token, a forged <c>x-ms-client-principal</c>. A check that cannot connect, or a health check
/// that gets no response, stops the run.
/// </summary>
internal sealed class DeploymentVerifier(DeploymentClient client)
{
    public const string Health = "health";
    public const string Documents = "documents";
    public const string Ask = AnswerChecks.Ask;
    public const string AskStream = AnswerChecks.AskStream;
    public const string Rating = "rating";
    public const string UnknownAnswer = "unknown-answer";
    public const string MalformedBody = "malformed-body";
    public const string ForgedPrincipal = ForgedPrincipalCheck.Name;

    /// <summary>Every check's name, in the order they run.</summary>
    public static readonly IReadOnlyList<string> CheckNames = [Health, Documents, Ask, AskStream, Rating, UnknownAnswer, MalformedBody, ForgedPrincipal];

    /// <summary>The comment of the rating verify leaves: a down rating without a correction gives no training example.</summary>
    public const string RatingComment = "ragtune verify";

    private readonly AnswerChecks _answers = new(client);
    private IReadOnlyList<JsonElement>? _documents;

    public async Task<VerificationReport> RunAsync(CancellationToken cancellationToken = default)
    {
        List<(string Name, Func<CancellationToken, Task<CheckResult>> Run)> steps =
        [
            (Health, CheckHealthAsync),
            (Documents, CheckDocumentsAsync),
            (Ask, token => _answers.CheckJsonAsync(Question, token)),
            (AskStream, token => _answers.CheckStreamAsync(Question, token)),
            (Rating, CheckRatingAsync),
            (UnknownAnswer, CheckUnknownAnswerAsync),
            (MalformedBody, CheckMalformedBodyAsync),
        ];
        if (client.Target.Token is not null)
        {
            steps.Add((ForgedPrincipal, token => ForgedPrincipalCheck.RunAsync(client, _documents, token)));
        }

        var checks = new List<CheckResult>();
        foreach (var (name, run) in steps)
        {
            try
            {
                checks.Add(await run(cancellationToken));
            }
            catch (VerificationRequestException exception)
            {
                // A server that cannot be reached, or whose health gives no response at all, is not asked anything else.
                var stop = exception.Unreachable || (name == Health && exception.Status is null);
                checks.Add(new CheckResult(name, CheckOutcome.Fail, stop ? $"{exception.Message}; no other check was run" : exception.Message)
                {
                    Status = exception.Status,
                });
                if (stop)
                {
                    break;
                }
            }
        }

        return new VerificationReport(client.Target.Url, checks);
    }

    /// <summary>The question asked: the one given, else one about the first indexed document (by its name), else a generic one.</summary>
    private AskedQuestion Question => client.Target.Question is { } given ? new AskedQuestion(given, Given: true) : AskedQuestion.About(_documents);

    private async Task<CheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(ApiCall.Get("api/health"), cancellationToken);
        var body = reply.Json ?? default;
        if (reply.Status == 503)
        {
            var failures = body.OfKind("failures", JsonValueKind.Array)?.EnumerateArray().Select(f => f.ToString()).ToList() ?? [];
            return reply.Result(Health, CheckOutcome.Fail, failures.Count > 0 ? $"unhealthy: {string.Join("; ", failures)}" : "unhealthy");
        }

        if (reply.Status == 404)
        {
            return reply.Result(Health, CheckOutcome.Fail, $"no health endpoint at {client.Target.Url}api/health: give the deployment's base URL, without /api");
        }

        if (reply.Status != 200)
        {
            return reply.Unexpected(Health, "200");
        }

        var status = body.StringOrNull("status");
        if (status != "healthy")
        {
            return reply.Result(Health, CheckOutcome.Fail, status is null ? "the body is not the health JSON (no status)" : $"status '{status}', expected 'healthy'");
        }

        return reply.Result(
            Health,
            CheckOutcome.Pass,
            $"healthy: embedding {body.StringOrNull("embeddingModel") ?? "?"}, index {body.StringOrNull("index") ?? "?"}, chat {body.StringOrNull("chatModel") ?? "?"}");
    }

    private async Task<CheckResult> CheckDocumentsAsync(CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(ApiCall.Get("api/documents"), cancellationToken);
        if (reply.Status != 200)
        {
            return reply.Unexpected(Documents, "200");
        }

        var list = DocumentList.Read(reply);
        if (list.Problem is not null)
        {
            return reply.Result(Documents, CheckOutcome.Fail, list.Problem);
        }

        _documents = list.Documents;
        var failed = list.Documents.Where(d => d.StringOrNull("status") == "failed").ToList();
        var counts = string.Create(CultureInfo.InvariantCulture, $"{list.Documents.Count} document{(list.Documents.Count == 1 ? "" : "s")}, {list.Documents.Count - failed.Count} indexed, {failed.Count} failed");
        if (list.Documents.Count == 0)
        {
            return reply.Result(Documents, CheckOutcome.Warn, "no documents: there is nothing to answer from yet");
        }

        if (failed.Count > 0)
        {
            var reasons = failed.Take(3).Select(d => $"{d.StringOrNull("source")} ({d.StringOrNull("error") ?? "no reason given"})");
            return reply.Result(Documents, CheckOutcome.Warn, $"{counts}: {string.Join("; ", reasons)}{(failed.Count > 3 ? "; ..." : "")}");
        }

        return reply.Result(Documents, CheckOutcome.Pass, counts);
    }

    private async Task<CheckResult> CheckRatingAsync(CancellationToken cancellationToken)
    {
        if (_answers.AnswerId is not { } answerId)
        {
            return new CheckResult(Rating, CheckOutcome.Skip, "no answer to rate: neither ask gave an answer id");
        }

        var reply = await client.SendAsync(ApiCall.Post("api/feedback", RatingBody(answerId)), cancellationToken);
        return reply.Status == 202
            ? reply.Result(Rating, CheckOutcome.Pass, $"answer {answerId} rated down without a correction (no training example)")
            : reply.Unexpected(Rating, $"202 for answer {answerId}");
    }

    private async Task<CheckResult> CheckUnknownAnswerAsync(CancellationToken cancellationToken)
    {
        var unknown = Ulid.New(TimeProvider.System);
        var reply = await client.SendAsync(ApiCall.Post("api/feedback", RatingBody(unknown)), cancellationToken);
        return reply.Status == 404
            ? ProblemDetails(reply, UnknownAnswer, $"an answer id that was never given ({unknown}) is refused")
            : reply.Unexpected(UnknownAnswer, $"404 for an answer id that was never given ({unknown})");
    }

    private async Task<CheckResult> CheckMalformedBodyAsync(CancellationToken cancellationToken)
    {
        var reply = await client.SendAsync(ApiCall.Post("api/ask", "{\"question\": \"What"), cancellationToken);
        return reply.Status == 400
            ? ProblemDetails(reply, MalformedBody, "a body that is not JSON is refused")
            : reply.Unexpected(MalformedBody, "400 Problem Details for a body that is not JSON");
    }

    /// <summary>Passes an error response that is RFC 9457 Problem Details (<c>application/problem+json</c>, its status, a type or code).</summary>
    private static CheckResult ProblemDetails(ApiReply reply, string check, string passed)
    {
        if (reply.MediaType != ApiReply.ProblemMediaType)
        {
            return reply.Result(check, CheckOutcome.Fail, $"the error is {reply.MediaType ?? "a response without a media type"}, not {ApiReply.ProblemMediaType}");
        }

        if (!reply.IsProblem)
        {
            return reply.Result(check, CheckOutcome.Fail, "the Problem Details body is not a JSON object");
        }

        var body = reply.Json!.Value;
        if (body.OfKind("status", JsonValueKind.Number)?.GetInt32() != reply.Status)
        {
            return reply.Result(check, CheckOutcome.Fail, "the Problem Details status is not the response's");
        }

        return body.StringOrNull("type") is null && reply.ProblemCode is null
            ? reply.Result(check, CheckOutcome.Fail, "the Problem Details have neither a type nor a code")
            : reply.Result(check, CheckOutcome.Pass, passed);
    }

    private static string RatingBody(string answerId) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["answerId"] = answerId, ["rating"] = "down", ["comment"] = RatingComment });
}
