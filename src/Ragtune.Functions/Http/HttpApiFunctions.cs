using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ragtune.Core.Api;

namespace Ragtune.Functions.Http;

/// <summary>
/// The HTTP API (../shared/design/http-api.md), the same as <c>ragtune serve</c>: each function is its trigger and a
/// call into <see cref="RagtuneApi"/>. The caller's groups come from <c>x-ms-client-principal</c>, which App Service
/// authentication sets (and strips from clients).
/// </summary>
public sealed class HttpApiFunctions(RagtuneApi api)
{
    [Function("Ask")]
    public async Task<IActionResult> AskAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ask")] HttpRequest request, CancellationToken cancellationToken)
    {
        var question = await api.ReadQuestionAsync(request.Body, request.ContentLength, CallerOf(request), cancellationToken);
        if (!question.Succeeded)
        {
            return Problem(question.Problem);
        }

        if (!RagtuneApi.WantsEvents(request.Headers.Accept))
        {
            var answer = await api.AskAsync(question.Value, cancellationToken);
            return answer.Succeeded ? Json(answer.Value) : Problem(answer.Problem);
        }

        var (events, problem) = await api.BeginStreamAsync(question.Value, cancellationToken);
        return problem is not null ? Problem(problem) : new EventStreamResult(events!);
    }

    [Function("Feedback")]
    public async Task<IActionResult> FeedbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken) =>
        await api.RateAsync(request.Body, request.ContentLength, CallerOf(request), cancellationToken) is { } problem ? Problem(problem) : new StatusCodeResult(StatusCodes.Status202Accepted);

    [Function("Documents")]
    public async Task<IActionResult> DocumentsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "documents")] HttpRequest request, CancellationToken cancellationToken) =>
        Json(await api.ListDocumentsAsync(CallerOf(request), cancellationToken));

    [Function("Health")]
    [SuppressMessage("Style", "IDE0060:Remove unused parameter", Justification = "The HTTP trigger binds to this parameter.")]
    public async Task<IActionResult> HealthAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await api.CheckHealthAsync(cancellationToken);
        return Json(report, report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A Core problem as RFC 9457 Problem Details, with Retry-After when the problem says to wait.</summary>
    internal static IActionResult Problem(ApiProblem problem) => new ProblemResult(problem);

    private static Core.Index.AccessScope CallerOf(HttpRequest request) => ClientPrincipal.ToAccessScope(request.Headers[ClientPrincipal.HeaderName]);

    private static JsonResult Json(object value, int status = StatusCodes.Status200OK) => new(value, RagtuneJson.Options) { StatusCode = status };

    private sealed class ProblemResult(ApiProblem problem) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            if (problem.RetryAfterHeader is { } retryAfter)
            {
                context.HttpContext.Response.Headers.RetryAfter = retryAfter;
            }

            return new JsonResult(problem.ToBody(), RagtuneJson.Options) { StatusCode = problem.Status, ContentType = "application/problem+json" }.ExecuteResultAsync(context);
        }
    }

    /// <summary>Server-sent events, written and flushed as they come.</summary>
    private sealed class EventStreamResult(IAsyncEnumerable<Core.Answering.AnswerEvent> events) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.ContentType = AnswerEvents.ContentType;
            response.Headers.CacheControl = "no-cache";
            context.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await AnswerEvents.WriteAsync(response.Body, events, ApiProblem.FromException, context.HttpContext.RequestAborted);
        }
    }
}
