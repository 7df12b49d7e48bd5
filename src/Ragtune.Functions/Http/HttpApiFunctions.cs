using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Ragtune.Http;

namespace Ragtune.Functions.Http;

/// <summary>
/// The HTTP API (../shared/design/http-api.md), the same as <c>ragtune serve</c>: each function is its trigger and one
/// call to the shared endpoint handlers of Ragtune.Http (<see cref="RagtuneHttpApi"/>), whose typed result the ASP.NET
/// Core integration executes.
/// </summary>
public sealed class HttpApiFunctions(RagtuneHttpApi http)
{
    [Function("Ask")]
    public async Task<IResult> AskAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ask")] HttpRequest request, CancellationToken cancellationToken) =>
        await http.AskAsync(request, cancellationToken);

    [Function("Feedback")]
    public async Task<IResult> FeedbackAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken) =>
        await http.FeedbackAsync(request, cancellationToken);

    [Function("Documents")]
    public async Task<IResult> DocumentsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "documents")] HttpRequest request, CancellationToken cancellationToken) =>
        await http.DocumentsAsync(request, cancellationToken);

    [Function("Health")]
    [SuppressMessage("Style", "IDE0060:Remove unused parameter", Justification = "The HTTP trigger binds to this parameter.")]
    public async Task<IResult> HealthAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken) =>
        await http.HealthAsync(cancellationToken);
}
