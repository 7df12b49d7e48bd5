using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Retrieval;

namespace Ragtune.Core.Api;

/// <summary>
/// The HTTP API's operations, host-neutral: each host (<c>ragtune serve</c>, the Azure Functions) only translates its
/// transport to these calls and writes what they return (a body, server-sent events, or a problem).
/// </summary>
public sealed class RagtuneApi(
    QuestionAnswerer answerer,
    FeedbackRecorder feedback,
    DocumentList documents,
    HealthCheck health,
    IOptions<ApiLimitsOptions> limits,
    IOptions<RetrievalOptions> retrieval)
{
    /// <summary>Reads and checks a POST /api/ask body; the caller's access comes from the host's authentication.</summary>
    public async Task<ApiResult<QuestionRequest>> ReadQuestionAsync(Stream body, long? contentLength, AccessScope access, CancellationToken cancellationToken = default)
    {
        var request = await ApiRequestReader.ReadAsync<AskRequest>(body, contentLength, limits.Value.MaxBodyBytes, cancellationToken);
        return request.Succeeded ? request.Value.Validate(limits.Value, retrieval.Value, access) : request.Problem;
    }

    /// <summary>True when the request's <c>Accept</c> values ask for server-sent events.</summary>
    public static bool WantsEvents(IEnumerable<string?> accept) =>
        accept.Any(a => a?.Contains(AnswerEvents.ContentType, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The JSON answer, or the problem of a dependency that failed.</summary>
    public async Task<ApiResult<AskResponse>> AskAsync(QuestionRequest question, CancellationToken cancellationToken = default)
    {
        try
        {
            return await answerer.AskAsync(question, cancellationToken);
        }
        catch (DependencyUnavailableException exception)
        {
            return ApiProblem.FromException(exception);
        }
    }

    /// <summary>The answer's events, started far enough that a failure before any text can still be a status code.</summary>
    public Task<(IAsyncEnumerable<AnswerEvent>? Events, ApiProblem? Problem)> BeginStreamAsync(QuestionRequest question, CancellationToken cancellationToken = default) =>
        AnswerEvents.BeginAsync(answerer.AskStreamingAsync(question, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads, checks and saves a POST /api/feedback body; null when it was accepted, else the problem. An answer the
    /// caller may not rate (it was given to someone holding groups the caller lacks) is unknown to them.
    /// </summary>
    public async Task<ApiProblem?> RateAsync(Stream body, long? contentLength, AccessScope caller, CancellationToken cancellationToken = default)
    {
        var request = await ApiRequestReader.ReadAsync<FeedbackRequest>(body, contentLength, limits.Value.MaxBodyBytes, cancellationToken);
        if (!request.Succeeded)
        {
            return request.Problem;
        }

        var submission = request.Value.Validate(limits.Value);
        if (!submission.Succeeded)
        {
            return submission.Problem;
        }

        try
        {
            return await feedback.RateAsync(submission.Value, caller, cancellationToken) is null ? ApiProblem.UnknownAnswer() : null;
        }
        catch (DependencyUnavailableException exception)
        {
            return ApiProblem.FromException(exception);
        }
    }

    /// <summary>GET /api/documents: the documents the caller may read.</summary>
    public Task<DocumentsResponse> ListDocumentsAsync(AccessScope access, CancellationToken cancellationToken = default) =>
        documents.ListAsync(access, cancellationToken);

    /// <summary>GET /api/health.</summary>
    public Task<HealthResponse> CheckHealthAsync(CancellationToken cancellationToken = default) => health.CheckAsync(cancellationToken);
}
