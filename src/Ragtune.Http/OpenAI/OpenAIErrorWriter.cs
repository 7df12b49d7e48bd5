using Microsoft.AspNetCore.Http;

namespace Ragtune.Http.OpenAI;

/// <summary>
/// What the web framework answers by itself under <c>/api/v1</c> (no such route, a method the endpoint does not take, an
/// unhandled exception), in OpenAI's error shape with the API's code and wording for the status.
/// </summary>
internal sealed class OpenAIErrorWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => OpenAIErrorResult.Answers(context?.HttpContext!);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        return new ValueTask(new OpenAIErrorResult(ProblemBody.ForStatus(status)).ExecuteAsync(context.HttpContext));
    }
}
