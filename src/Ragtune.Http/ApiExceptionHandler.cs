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
/// (409), in OpenAI's error shape under <c>/api/v1</c>. Anything else is left to the framework's handler, which answers with the API's wording for its status.
/// </summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (DependencyUnavailableException or DatasetExportBusyException))
        {
            return false;
        }

        var problem = ApiProblem.FromException(exception);
        await (OpenAIErrorResult.Answers(httpContext) ? new OpenAIErrorResult(problem).ExecuteAsync(httpContext) : ProblemBody.WriteAsync(httpContext, problem));
        return true;
    }
}
