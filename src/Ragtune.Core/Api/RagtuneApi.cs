using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Retrieval;

namespace Ragtune.Core.Api;

/// <summary>
/// The API's operations, transport-neutral: Ragtune.Http reads a request's body and caller and writes what these
/// return (a body, a stream of answer events, or a problem), the same for both hosts.
/// </summary>
public sealed class RagtuneApi(
    QuestionAnswerer answerer,
    FeedbackRecorder feedback,
    DocumentList documents,
    HealthCheck health,
    ChatModelProfile chatModel,
    IOptions<ApiLimitsOptions> limits,
    IOptions<RetrievalOptions> retrieval)
{
    /// <summary>The input limits (<c>Ragtune:Api</c>).</summary>
    public ApiLimitsOptions Limits => limits.Value;

    /// <summary>The chat model that answers (the <see cref="AskResponse.Model"/> of every answer).</summary>
    public string ChatModel => chatModel.ModelId;

    /// <summary>Checks an ask request; the caller's access comes from the host's authentication, never from the body.</summary>
    public ApiResult<QuestionRequest> ReadQuestion(AskRequest request, AccessScope access)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Validate(limits.Value, retrieval.Value, access);
    }

    /// <summary>The answer, or the problem of a dependency that failed.</summary>
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

    /// <summary>The answer as events; a dependency that fails comes out of the enumeration as <see cref="DependencyUnavailableException"/>.</summary>
    public IAsyncEnumerable<AnswerEvent> AskStreamingAsync(QuestionRequest question, CancellationToken cancellationToken = default) =>
        answerer.AskStreamingAsync(question, cancellationToken);

    /// <summary>
    /// Checks and saves a rating; null when it was accepted, else the problem. An answer the caller may not rate (it was
    /// given to someone holding groups the caller lacks) is unknown to them.
    /// </summary>
    public async Task<ApiProblem?> RateAsync(FeedbackRequest request, AccessScope caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var submission = request.Validate(limits.Value);
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

    /// <summary>The documents the caller may read.</summary>
    public Task<DocumentsResponse> ListDocumentsAsync(AccessScope access, CancellationToken cancellationToken = default) =>
        documents.ListAsync(access, cancellationToken);

    /// <summary>The configured providers, and whether each dependency answers.</summary>
    public Task<HealthResponse> CheckHealthAsync(CancellationToken cancellationToken = default) => health.CheckAsync(cancellationToken);
}
