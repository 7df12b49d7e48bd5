using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Api;

/// <summary>
/// An error answer of the API, transport-neutral: a stable <see cref="Code"/>, the status it stands for, and words for
/// people (<see cref="Detail"/> never holds exception text). Ragtune.Http writes it as Problem Details.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Title, string Detail)
{
    /// <summary>How long the caller should wait before trying again (429 and 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Field errors of an invalid request, by JSON path.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public static ApiProblem InvalidRequest(string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(400, "invalid-request", "The request is not valid.", detail) { Errors = errors };

    public static ApiProblem MalformedJson() =>
        new(400, "malformed-json", "The request body is not valid JSON.", "Send a JSON object with Content-Type: application/json.");

    /// <summary>The body could not be read whole: shorter than its Content-Length, broken chunked framing, or the connection dropped.</summary>
    public static ApiProblem UnreadableBody() =>
        new(400, "unreadable-body", "The request body could not be read.", "The body ended before its declared length or its framing is broken. Send it again.");

    /// <summary>The body arrived too slowly.</summary>
    public static ApiProblem RequestTimeout() =>
        new(408, "request-timeout", "The request body arrived too slowly.", "Send the request again.");

    public static ApiProblem BodyTooLarge(long limit) =>
        new(413, "body-too-large", "The request body is too large.", $"The body may be at most {limit} bytes.");

    public static ApiProblem NotFound(string detail) =>
        new(404, "not-found", "Not found.", detail);

    /// <summary>POST /api/feedback for an answer id that was never given.</summary>
    public static ApiProblem UnknownAnswer() => NotFound("No answer has this answerId.");

    /// <summary>An export was asked for while another one into the same place is running.</summary>
    public static ApiProblem ExportBusy() =>
        new(409, "export-busy", "An export is already running.", "Another export of the datasets is being written. Try again when it is done.");

    public static ApiProblem Internal() =>
        new(500, "internal-error", "Something went wrong on our side.", "The error was logged. Try again later.");

    /// <summary>The problem for an exception that left Core: dependency failures keep their meaning, anything else is internal.</summary>
    public static ApiProblem FromException(Exception exception) => exception switch
    {
        DependencyUnavailableException { Failure: DependencyFailure.Throttled } e => new(
            429, "dependency-throttled", "A service Ragtune depends on is throttling requests.", $"The {e.Dependency} service is busy. Try again later.")
        {
            RetryAfter = e.RetryAfter ?? TimeSpan.FromSeconds(10),
        },
        DependencyUnavailableException { Failure: DependencyFailure.Timeout } e => new(
            504, "dependency-timeout", "A service Ragtune depends on did not answer in time.", $"The {e.Dependency} service timed out. Try again later."),
        DatasetExportBusyException => ExportBusy(),
        DependencyUnavailableException e => new(
            503, "dependency-unavailable", "A service Ragtune depends on is unavailable.", $"The {e.Dependency} service is unavailable. Try again later.")
        {
            RetryAfter = e.RetryAfter ?? TimeSpan.FromSeconds(10),
        },
        _ => Internal(),
    };
}
