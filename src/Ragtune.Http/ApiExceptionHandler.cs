using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Ragtune.Core;
using Ragtune.Core.Api;
using Ragtune.Core.FineTuning;
using Ragtune.Http.OpenAI;

namespace Ragtune.Http;

/// <summary>
/// An exception that no endpoint turned into a response, answered as the API answers it (<see cref="ApiProblem.FromException"/>):
/// a dependency that is throttled, timed out or unavailable (429/504/503 with Retry-After), an export already running
/// (409), a body the client's framing broke where an endpoint did not read it through <see cref="RequestBody"/> (400 or
/// 408, as <see cref="RequestBody.ForClientFraming"/>; handled here, so it is not logged as a server error), in OpenAI's
/// error shape under <c>/api/v1</c>. Anything else is left to the framework's handler, which answers with the API's wording for its status.
/// </summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DependencyUnavailableException or DatasetExportBusyException => ApiProblem.FromException(exception),
            BadHttpRequestException framing => RequestBody.ForClientFraming(framing),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        if (httpContext.Response.HasStarted)
        {
            // Nothing more can be said on this response.
            return true;
        }

        await (OpenAIErrorResult.Answers(httpContext) ? new OpenAIErrorResult(problem).ExecuteAsync(httpContext) : ProblemBody.WriteAsync(httpContext, problem));
        return true;
    }
}
