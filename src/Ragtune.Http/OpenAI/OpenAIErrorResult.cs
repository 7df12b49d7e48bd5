using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Ragtune.Core.Api;

namespace Ragtune.Http.OpenAI;

/// <summary>
/// A problem in OpenAI's error shape, <c>{"error":{"message","type","param","code"}}</c>, with the problem's status and
/// headers (<c>Retry-After</c>): what OpenAI clients read under <c>/api/v1</c>. <c>code</c> is Ragtune's stable code,
/// <c>param</c> the request field at fault.
/// </summary>
public sealed class OpenAIErrorResult(ApiProblem problem) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    /// <summary>The path under which errors take this shape, whoever writes them.</summary>
    public const string PathPrefix = "/api/v1";

    private static readonly int[] Statuses = [400, 401, 413, 429, 503, 504];

    public ApiProblem Problem { get; } = problem;

    public int? StatusCode => Problem.Status;

    public string ContentType => "application/json";

    /// <summary>True for a request under <see cref="PathPrefix"/>, whose errors OpenAI clients read.</summary>
    public static bool Answers(HttpContext httpContext) =>
        httpContext?.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>OpenAI's error body for a problem.</summary>
    public static OpenAIErrorBody Of(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var type = problem.Status switch
        {
            401 => "authentication_error",
            403 => "permission_error",
            429 => "rate_limit_error",
            >= 500 => "server_error",
            _ => "invalid_request_error",
        };
        return new OpenAIErrorBody(new OpenAIError(problem.Detail, type, problem.Errors?.Keys.FirstOrDefault(), problem.Code));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ProblemBody.WriteHeaders(httpContext.Response, Problem);
        return TypedResults.Json(Of(Problem), RagtuneJson.Options, ContentType, Problem.Status).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in Statuses)
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(OpenAIErrorBody), ["application/json"]));
        }
    }
}

/// <summary>OpenAI's error body.</summary>
public sealed record OpenAIErrorBody(OpenAIError Error);

/// <summary>OpenAI's error object: <c>param</c> and <c>code</c> are null when there is none.</summary>
public sealed record OpenAIError(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
