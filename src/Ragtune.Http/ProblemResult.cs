using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Ragtune.Core.Api;
using Ragtune.Http.Auth;

namespace Ragtune.Http;

/// <summary>
/// A Core <see cref="ApiProblem"/> as RFC 9457 Problem Details (<c>application/problem+json</c>): <c>type</c>
/// <c>urn:ragtune:problem:{code}</c>, <c>title</c>, <c>status</c>, <c>detail</c>, the stable <c>code</c> and, for an
/// invalid request, the field <c>errors</c>; with <c>Retry-After</c> (whole seconds, rounded up) when the problem says
/// to wait. <typeparamref name="TProblems"/> names the statuses the endpoint can answer with, for its OpenAPI description.
/// </summary>
public sealed class ProblemResult<TProblems>(ApiProblem problem) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
    where TProblems : IProblemStatuses
{
    public ApiProblem Problem { get; } = problem;

    public int? StatusCode => Problem.Status;

    public string ContentType => ProblemBody.ContentType;

    public Task ExecuteAsync(HttpContext httpContext) => ProblemBody.WriteAsync(httpContext, Problem);

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "IEndpointMetadataProvider is a static interface member.")]
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in TProblems.Statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemBody.ContentType]));
        }
    }

#pragma warning disable CA1000, CA2225 // The conversion is the point: an endpoint returns a Core problem as its result.
    public static implicit operator ProblemResult<TProblems>(ApiProblem problem) => new(problem);
#pragma warning restore CA1000, CA2225
}

/// <summary>The problem statuses an endpoint can answer with (the static list is what its OpenAPI description shows).</summary>
public interface IProblemStatuses
{
    static abstract IReadOnlyList<int> Statuses { get; }
}

/// <summary>How a problem is written, the same for every result, host and stream.</summary>
public static class ProblemBody
{
    public const string ContentType = "application/problem+json";

    /// <summary>The <c>type</c> of a problem with this code.</summary>
    public static string TypeOf(string code) => $"urn:ragtune:problem:{code}";

    /// <summary>The Problem Details body, in this order: type, title, status, detail, code, errors.</summary>
    public static Dictionary<string, object?> Of(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var body = new Dictionary<string, object?>
        {
            ["type"] = TypeOf(problem.Code),
            ["title"] = problem.Title,
            ["status"] = problem.Status,
            ["detail"] = problem.Detail,
            ["code"] = problem.Code,
        };
        if (problem.Errors is not null)
        {
            body["errors"] = problem.Errors;
        }

        return body;
    }

    /// <summary>The <c>Retry-After</c> value (whole seconds, rounded up), or null when there is no wait.</summary>
    public static string? RetryAfter(ApiProblem problem) =>
        problem?.RetryAfter is { } wait ? ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;

    public static Task WriteAsync(HttpContext httpContext, ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        WriteHeaders(httpContext.Response, problem);
        return TypedResults.Json(Of(problem), RagtuneJson.Options, ContentType, problem.Status).ExecuteAsync(httpContext);
    }

    /// <summary>The headers that go with a problem whatever shape its body takes (<c>Retry-After</c>, <c>WWW-Authenticate</c>).</summary>
    public static void WriteHeaders(HttpResponse response, ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (RetryAfter(problem) is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (CallerProblems.Challenge(problem) is { } challenge)
        {
            response.Headers.WWWAuthenticate = challenge;
        }
    }

    /// <summary>
    /// The problem for a status that the web framework answers by itself (no such route, a method or content type the
    /// endpoint does not take, an unhandled exception), so that every error of the API carries a code.
    /// </summary>
    public static ApiProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => ApiProblem.NotFound("There is no endpoint at this path."),
        StatusCodes.Status405MethodNotAllowed => new(status, "method-not-allowed", "The method is not allowed.", "This endpoint does not accept this HTTP method."),
        StatusCodes.Status415UnsupportedMediaType => new(status, "unsupported-media-type", "The content type is not supported.", "Send a JSON object with Content-Type: application/json."),
        >= 500 => ApiProblem.Internal() with { Status = status },
        _ => new(status, "bad-request", "The request cannot be served.", "The server cannot serve this request as it was sent."),
    };
}

/// <summary>POST /api/ask: an invalid, too slow or too large body, or the chat or embedding service failing.</summary>
public sealed class AskProblems : IProblemStatuses
{
    public static IReadOnlyList<int> Statuses { get; } = [400, 401, 403, 408, 413, 429, 503, 504];
}

/// <summary>POST /api/feedback: an invalid, too slow or too large body, an unknown answer, or the store failing.</summary>
public sealed class FeedbackProblems : IProblemStatuses
{
    public static IReadOnlyList<int> Statuses { get; } = [400, 401, 403, 404, 408, 413, 429, 503, 504];
}

/// <summary>Nothing to show yet, or the caller's credentials.</summary>
public sealed class NotFoundProblems : IProblemStatuses
{
    public static IReadOnlyList<int> Statuses { get; } = [401, 403, 404, 503];
}

/// <summary>An export asked for while another runs, without a JSON content type, the store failing, or the caller's credentials.</summary>
public sealed class ExportProblems : IProblemStatuses
{
    public static IReadOnlyList<int> Statuses { get; } = [401, 403, 409, 415, 429, 503, 504];
}

/// <summary>An endpoint whose only problems are the caller's credentials (<see cref="CallerAccess"/>): none, invalid, groups unknown, issuer down.</summary>
public sealed class CredentialProblems : IProblemStatuses
{
    public static IReadOnlyList<int> Statuses { get; } = [401, 403, 503];
}
