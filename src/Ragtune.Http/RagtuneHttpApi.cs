using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ragtune.Core.Api;
using Ragtune.Http.Auth;
using Ragtune.Http.OpenAI;
using Ragtune.Http.UIMessages;

namespace Ragtune.Http;

/// <summary>
/// The HTTP API (../shared/design/http-api.md), one set of endpoint handlers for both hosts: <c>ragtune serve</c> maps
/// them (<see cref="RagtuneEndpoints.MapRagtuneApi"/>), and each HTTP function of the Azure Functions app is one call to them. A handler
/// reads the caller and the body, makes one call to <see cref="RagtuneApi"/>, and returns the typed result its
/// signature declares, from which the OpenAPI description is made.
/// </summary>
public sealed class RagtuneHttpApi(RagtuneApi api, CallerAccess caller)
{
    /// <summary>POST /api/ask: the answer as JSON, or as server-sent events when the request accepts <c>text/event-stream</c>.</summary>
    public async Task<Results<Ok<AskResponse>, AnswerEventsResult, ProblemResult<AskProblems>>> AskAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        if (!scope.Succeeded)
        {
            return (ProblemResult<AskProblems>)scope.Problem;
        }

        var body = await RequestBody.ReadAsync<AskRequest>(request.Body, request.ContentLength, api.Limits.MaxBodyBytes, cancellationToken);
        var question = body.Succeeded ? api.ReadQuestion(body.Value, scope.Value) : body.Problem;
        if (!question.Succeeded)
        {
            return (ProblemResult<AskProblems>)question.Problem;
        }

        if (!AnswerEventsResult.IsWanted(request))
        {
            var answer = await api.AskAsync(question.Value, cancellationToken);
            return answer.Succeeded ? TypedResults.Ok(answer.Value) : (ProblemResult<AskProblems>)answer.Problem;
        }

        var (stream, problem) = await AnswerEventsResult.BeginAsync(api.AskStreamingAsync(question.Value, cancellationToken), cancellationToken);
        return stream is not null ? stream : (ProblemResult<AskProblems>)problem!;
    }

    /// <summary>POST /api/feedback: 202 once the rating is saved.</summary>
    public async Task<Results<Accepted, ProblemResult<FeedbackProblems>>> FeedbackAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        if (!scope.Succeeded)
        {
            return (ProblemResult<FeedbackProblems>)scope.Problem;
        }

        var body = await RequestBody.ReadAsync<FeedbackRequest>(request.Body, request.ContentLength, api.Limits.MaxBodyBytes, cancellationToken);
        var problem = body.Succeeded ? await api.RateAsync(body.Value, scope.Value, cancellationToken) : body.Problem;
        return problem is null ? TypedResults.Accepted((string?)null) : (ProblemResult<FeedbackProblems>)problem;
    }

    /// <summary>GET /api/documents: the documents the caller may read.</summary>
    public async Task<Results<Ok<DocumentsResponse>, ProblemResult<CredentialProblems>>> DocumentsAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        return scope.Succeeded
            ? TypedResults.Ok(await api.ListDocumentsAsync(scope.Value, cancellationToken))
            : (ProblemResult<CredentialProblems>)scope.Problem;
    }

    /// <summary>GET /api/health: 200 when every dependency answers, else 503 naming the ones that did not.</summary>
    public async Task<Results<Ok<HealthResponse>, Unhealthy>> HealthAsync(CancellationToken cancellationToken = default)
    {
        var report = await api.CheckHealthAsync(cancellationToken);
        return report.IsHealthy ? TypedResults.Ok(report) : new Unhealthy(report);
    }
}

/// <summary>Maps <see cref="RagtuneHttpApi"/> and the front-end protocols (<see cref="ChatCompletionsApi"/>, <see cref="UIChatApi"/>) under <c>/api</c>.</summary>
public static class RagtuneEndpoints
{
    public static RouteGroupBuilder MapRagtuneApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/ask", (HttpRequest request, RagtuneHttpApi http, CancellationToken cancellationToken) => http.AskAsync(request, cancellationToken))
            .WithName("Ask")
            .WithSummary("Answer a question from the documents, with citations (JSON, or server-sent events with Accept: text/event-stream)")
            .Accepts<AskRequest>("application/json");
        api.MapPost("/feedback", (HttpRequest request, RagtuneHttpApi http, CancellationToken cancellationToken) => http.FeedbackAsync(request, cancellationToken))
            .WithName("Feedback")
            .WithSummary("Rate an answer up or down, with an optional correction; rating again replaces the earlier rating")
            .Accepts<FeedbackRequest>("application/json");
        api.MapGet("/documents", (HttpRequest request, RagtuneHttpApi http, CancellationToken cancellationToken) => http.DocumentsAsync(request, cancellationToken))
            .WithName("Documents")
            .WithSummary("The documents the caller may read, with their status");
        api.MapGet("/health", (RagtuneHttpApi http, CancellationToken cancellationToken) => http.HealthAsync(cancellationToken))
            .WithName("Health")
            .WithSummary("The configured providers, when every dependency answers");
        api.MapPost("/chat", (HttpRequest request, UIChatApi chat, CancellationToken cancellationToken) => chat.ChatAsync(request, cancellationToken))
            .WithName("Chat")
            .WithSummary("The AI SDK's useChat: a conversation of UI messages, answered with the UI message stream (x-vercel-ai-ui-message-stream: v1)")
            .Accepts<UIChatRequest>("application/json");
        api.MapPost("/v1/chat/completions", (HttpRequest request, ChatCompletionsApi completions, CancellationToken cancellationToken) => completions.CreateAsync(request, cancellationToken))
            .WithName("ChatCompletions")
            .WithSummary("OpenAI chat completions: a chat.completion, or chat.completion.chunk events with stream: true (errors in OpenAI's shape)")
            .Accepts<ChatCompletionRequest>("application/json");
        api.MapGet("/v1/models", (HttpRequest request, ChatCompletionsApi completions, CancellationToken cancellationToken) => completions.ModelsAsync(request, cancellationToken))
            .WithName("Models")
            .WithSummary("OpenAI's list of models: the chat model that answers");
        return api;
    }
}
