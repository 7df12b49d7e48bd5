using System.Net;
using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Api;

/// <summary>
/// An error answer of the HTTP API, host-neutral: each host writes it as RFC 9457 Problem Details
/// (<c>application/problem+json</c>) with <see cref="Code"/> as a stable extension and <c>type</c>
/// <c>urn:ragtune:problem:{code}</c>. <see cref="Detail"/> is for people and never holds exception text.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Title, string Detail)
{
    /// <summary>How long the client should wait before trying again (429 and 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Field errors of an invalid request, by JSON path.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public string Type => $"urn:ragtune:problem:{Code}";

    /// <summary>The Problem Details body, as both hosts write it.</summary>
    public Dictionary<string, object?> ToBody()
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = Type,
            ["title"] = Title,
            ["status"] = Status,
            ["detail"] = Detail,
            ["code"] = Code,
        };
        if (Errors is not null)
        {
            body["errors"] = Errors;
        }

        return body;
    }

    public static ApiProblem InvalidRequest(string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new((int)HttpStatusCode.BadRequest, "invalid-request", "The request is not valid.", detail) { Errors = errors };

    public static ApiProblem MalformedJson() =>
        new((int)HttpStatusCode.BadRequest, "malformed-json", "The request body is not valid JSON.", "Send a JSON object with Content-Type: application/json.");

    public static ApiProblem BodyTooLarge(long limit) =>
        new((int)HttpStatusCode.RequestEntityTooLarge, "body-too-large", "The request body is too large.", $"The body may be at most {limit} bytes.");

    public static ApiProblem NotFound(string detail) =>
        new((int)HttpStatusCode.NotFound, "not-found", "Not found.", detail);

    /// <summary>POST /api/feedback for an answer id that was never given.</summary>
    public static ApiProblem UnknownAnswer() => NotFound("No answer has this answerId.");

    public static ApiProblem MethodNotAllowed() =>
        new((int)HttpStatusCode.MethodNotAllowed, "method-not-allowed", "The method is not allowed.", "This endpoint does not accept this HTTP method.");

    public static ApiProblem UnsupportedMediaType() =>
        new((int)HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", "The content type is not supported.", "Send a JSON object with Content-Type: application/json.");

    /// <summary>
    /// The problem for a status that a host's web framework answers by itself (no such route, a method or content type
    /// the endpoint does not take, an unhandled exception), so that every error of the API carries a code.
    /// </summary>
    public static ApiProblem ForStatus(int status) => status switch
    {
        (int)HttpStatusCode.NotFound => NotFound("There is no endpoint at this path."),
        (int)HttpStatusCode.MethodNotAllowed => MethodNotAllowed(),
        (int)HttpStatusCode.UnsupportedMediaType => UnsupportedMediaType(),
        >= 500 => Internal() with { Status = status },
        _ => new(status, "bad-request", "The request cannot be served.", "The server cannot serve this request as it was sent."),
    };

    /// <summary>An export was asked for while another one into the same place is running.</summary>
    public static ApiProblem ExportBusy() =>
        new((int)HttpStatusCode.Conflict, "export-busy", "An export is already running.", "Another export of the datasets is being written. Try again when it is done.");

    public static ApiProblem Internal() =>
        new((int)HttpStatusCode.InternalServerError, "internal-error", "Something went wrong on our side.", "The error was logged. Try again later.");

    /// <summary>The problem for an exception that left Core: dependency failures keep their meaning, anything else is internal.</summary>
    public static ApiProblem FromException(Exception exception) => exception switch
    {
        DependencyUnavailableException { Failure: DependencyFailure.Throttled } e => new(
            (int)HttpStatusCode.TooManyRequests, "dependency-throttled", "A service Ragtune depends on is throttling requests.", $"The {e.Dependency} service is busy. Try again later.")
        {
            RetryAfter = e.RetryAfter ?? TimeSpan.FromSeconds(10),
        },
        DependencyUnavailableException { Failure: DependencyFailure.Timeout } e => new(
            (int)HttpStatusCode.GatewayTimeout, "dependency-timeout", "A service Ragtune depends on did not answer in time.", $"The {e.Dependency} service timed out. Try again later."),
        DatasetExportBusyException => ExportBusy(),
        DependencyUnavailableException e => new(
            (int)HttpStatusCode.ServiceUnavailable, "dependency-unavailable", "A service Ragtune depends on is unavailable.", $"The {e.Dependency} service is unavailable. Try again later.")
        {
            RetryAfter = e.RetryAfter ?? TimeSpan.FromSeconds(10),
        },
        _ => Internal(),
    };
}
