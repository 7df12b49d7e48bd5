using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Cli.Http;

/// <summary>
/// The HTTP API of <c>ragtune serve</c> (../shared/design/http-api.md): each endpoint translates HTTP to one Core
/// call and back, as the Azure Functions do.
/// </summary>
internal static class RagtuneHttpApi
{
    public static IEndpointRouteBuilder MapRagtuneApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/ask", AskAsync)
            .WithName("Ask")
            .WithSummary("Answer a question from the documents, with citations (JSON, or server-sent events with Accept: text/event-stream)")
            .Accepts<AskRequest>("application/json")
            .Produces<AskResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        api.MapPost("/feedback", FeedbackAsync)
            .WithName("Feedback")
            .WithSummary("Rate an answer up or down, with an optional correction; rating again replaces the earlier rating")
            .Accepts<FeedbackRequest>("application/json")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/documents", DocumentsAsync)
            .WithName("Documents")
            .WithSummary("The documents the caller may read, with their status")
            .Produces<DocumentsResponse>();
        api.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithSummary("The configured providers, when every dependency answers")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> AskAsync(HttpContext context, RagtuneApi api, CallerAccess caller, CancellationToken cancellationToken)
    {
        var question = await api.ReadQuestionAsync(context.Request.Body, context.Request.ContentLength, caller.ScopeOf(context.Request), cancellationToken);
        if (!question.Succeeded)
        {
            return Problem(question.Problem);
        }

        if (!RagtuneApi.WantsEvents(context.Request.Headers.Accept))
        {
            var answer = await api.AskAsync(question.Value, cancellationToken);
            return answer.Succeeded ? Results.Json(answer.Value, RagtuneJson.Options) : Problem(answer.Problem);
        }

        var (events, problem) = await api.BeginStreamAsync(question.Value, cancellationToken);
        if (problem is not null)
        {
            return Problem(problem);
        }

        context.Response.ContentType = AnswerEvents.ContentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await AnswerEvents.WriteAsync(context.Response.Body, events!, ApiProblem.FromException, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> FeedbackAsync(HttpContext context, RagtuneApi api, CallerAccess caller, CancellationToken cancellationToken) =>
        await api.RateAsync(context.Request.Body, context.Request.ContentLength, caller.ScopeOf(context.Request), cancellationToken) is { } problem ? Problem(problem) : Results.Accepted();

    private static async Task<IResult> DocumentsAsync(HttpContext context, RagtuneApi api, CallerAccess caller, CancellationToken cancellationToken) =>
        Results.Json(await api.ListDocumentsAsync(caller.ScopeOf(context.Request), cancellationToken), RagtuneJson.Options);

    private static async Task<IResult> HealthAsync(RagtuneApi api, CancellationToken cancellationToken)
    {
        var report = await api.CheckHealthAsync(cancellationToken);
        return Results.Json(report, RagtuneJson.Options, statusCode: report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A Core problem as RFC 9457 Problem Details, with Retry-After when the problem says to wait.</summary>
    public static IResult Problem(ApiProblem problem) => new ProblemResult(problem);

    private sealed class ProblemResult(ApiProblem problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (problem.RetryAfterHeader is { } retryAfter)
            {
                httpContext.Response.Headers.RetryAfter = retryAfter;
            }

            return Results.Json(problem.ToBody(), RagtuneJson.Options, "application/problem+json", problem.Status).ExecuteAsync(httpContext);
        }
    }
}

/// <summary>The caller's access scope: from <c>x-ms-client-principal</c> when configured to trust it, else public only.</summary>
internal sealed class CallerAccess(IOptions<AuthOptions> options)
{
    public AccessScope ScopeOf(HttpRequest request) =>
        options.Value.TrustClientPrincipalHeader
            ? ClientPrincipal.ToAccessScope(request.Headers[ClientPrincipal.HeaderName])
            : AccessScope.Public;
}
